// Every effect carekit produces parses with its schema (the outbox worker's `parseEffect`), as
// produced and after the JSON round trip an outbox makes: the lifecycle over random logs, and the
// desk over the hostile world's commands (tests/workflows/desk/hostile.ts).
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { createSlaPolicy } from '../../src/sla/index.js';
import {
  createMemoryStore,
  createTicketWorkflow,
  type Desk,
  type DeskEffect,
  safeParseEffect,
  type TicketSnapshot,
  type TicketStore,
} from '../../src/workflows/index.js';
import { propertyRuns, propertyTimeout } from '../support/runs.js';
import { arbCommands, outbox, setup, withOutbox } from './desk/hostile.js';
import { arbTicketLog } from './ticket/arbitraries.js';

const seen = new Map<string, number>();
afterAll(() => {
  if (process.env.EFFECT_STATS) console.log(Object.fromEntries([...seen].sort()));
});

/** The effect parses, and parsing its JSON gives its JSON back (nothing dropped, nothing coerced). */
function expectParses(effect: DeskEffect) {
  const json = JSON.parse(JSON.stringify(effect));
  const result = safeParseEffect(json);
  if (!result.success) {
    throw new Error(`${JSON.stringify(effect)} does not parse:\n${result.error.message}`);
  }
  expect(result.data).toEqual(json);
  expect(safeParseEffect(effect).success).toBe(true);
  const key = `${effect.type}${effect.type === 'notify' ? `:${effect.reason}` : ''}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
}

/** The desk, with every effect its calls answer collected. */
function collecting(desk: Desk, into: DeskEffect[]): Desk {
  return new Proxy(desk, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out = value.apply(target, args);
        if (out instanceof Promise) {
          return out.then((answer: unknown) => {
            const effects = (answer as { effects?: unknown } | null)?.effects;
            if (Array.isArray(effects)) into.push(...(effects as DeskEffect[]));
            return answer;
          });
        }
        return out;
      };
    },
  });
}
const workflow = createTicketWorkflow({
  sla: createSlaPolicy({
    id: 'p',
    calendar: null,
    firstReply: { targets: { normal: { hours: 1 }, high: { minutes: 30 } } },
    nextReply: { targets: { normal: { hours: 4 } } },
    periodicUpdate: { targets: { normal: { days: 1 } } },
    resolution: { targets: { normal: { days: 2 }, urgent: { hours: 8 } } },
  }),
  reopenWindow: { hours: 12 },
  autoCloseSolvedAfter: { days: 10 },
  requireAssigneeToSolve: false,
  acknowledgeTemplate: 'acknowledgement',
  survey: { delay: { hours: 2 }, csat: true, reminderAfter: { days: 1 } },
});

describe('every effect parses with its schema', () => {
  test.prop([arbTicketLog(40, {}), fc.boolean()], propertyRuns(150))(
    'the lifecycle: every effect of start, apply and the ticks between events',
    (log, blocked) => {
      const opened = blocked
        ? { ...(log[0] as object), customer: { id: 'c1', blocked: true } }
        : (log[0] as object);
      const started = workflow.start(opened as never);
      started.effects.forEach(expectParses);
      let snapshot: TicketSnapshot = started.snapshot;
      for (const [i, event] of log.slice(1).entries()) {
        // The host's ticks at every deadline before the event (warnings, breaches, auto-close, surveys).
        for (
          let n = 0, due = workflow.dueAt(snapshot);
          due !== null && due < (event.at as number) && n < 20;
          n++
        ) {
          const tick = { type: 'clock.tick', id: `tick${i}.${n}`, ticketId: 'T-1', at: due } as const;
          const ticked = workflow.apply(snapshot, tick);
          ticked.effects.forEach(expectParses);
          snapshot = ticked.snapshot;
          due = workflow.dueAt(snapshot);
        }
        const result = workflow.apply(snapshot, event);
        result.effects.forEach(expectParses);
        snapshot = result.snapshot;
      }
    },
    propertyTimeout(30_000),
  );

  test.prop([arbCommands(30)], propertyRuns(30))(
    "the desk: every effect in a desk's answers and in its store's outbox, after any hostile commands",
    async (commands) => {
      const a = withOutbox(createMemoryStore());
      const b = withOutbox(createMemoryStore());
      const answered: DeskEffect[] = [];
      await fc.asyncModelRun(async () => {
        const { model, real } = await setup(a, b);
        const make = (store: TicketStore) => collecting(real.make(store), answered);
        return {
          model,
          real: {
            a: { store: real.a.store, desk: collecting(real.a.desk, answered) },
            b: { store: real.b.store, desk: real.b.desk },
            make: (store: TicketStore) => (store === real.a.store ? make(store) : real.make(store)),
          },
        };
      }, commands);
      answered.forEach(expectParses);
      for (const effect of await outbox(a)) expectParses(effect as DeskEffect);
    },
    propertyTimeout(50_000),
  );
});
