import { describe, expect, it } from 'vitest';
import { CarekitError } from '../../src/model/index.js';
import {
  createTicketWorkflow,
  defaultEscalation,
  lifecycleFactsOptions,
  parseTicketSnapshot,
  planCheckIns,
  refKey,
  ticketThread,
} from '../../src/workflows/index.js';

function refusal(run: () => unknown): { code: string; path: unknown; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitError);
    const e = error as CarekitError & { path?: unknown; issues?: { path: unknown }[] };
    return { code: e.code, path: e.path ?? e.issues?.[0]?.path, message: e.message };
  }
  throw new Error('expected a refusal');
}

const proxy = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
      ownKeys() {
        throw new Error('trap');
      },
    },
  );

describe('workflow helpers refuse bad arguments with carekit errors', () => {
  it('lifecycleFactsOptions checks the config as createTicketWorkflow does', () => {
    const config = createTicketWorkflow({ autoSolvePendingAfter: { days: 3 } }).config;
    expect(lifecycleFactsOptions(config).autoSolvePendingAfterMs).toBe(3 * 86_400_000);
    expect(lifecycleFactsOptions({ reopenWindow: { days: 1 } }).reopenWindowMs).toBe(86_400_000);
    const unknown = refusal(() => lifecycleFactsOptions({ reopenWindw: { days: 1 } } as never));
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toMatch(/reopenWindw.*allowed: reopenWindow/);
    expect(refusal(() => lifecycleFactsOptions('x' as never)).message).toMatch(/expected an options object/);
    expect(refusal(() => lifecycleFactsOptions(proxy() as never)).code).toBeTypeOf('string');
  });

  it('defaultEscalation checks the signal and the ticket', () => {
    const ticket = {
      ticketId: 't',
      tier: 1,
      priority: 'normal' as const,
      category: null,
      segment: null,
      reopens: 0,
      assigneeId: null,
    };
    expect(defaultEscalation({ kind: 'sla_breach', clock: 'firstReply' }, ticket)).toEqual([
      { type: 'escalate', toTier: 2, reason: 'firstReply SLA breached' },
    ]);
    expect(refusal(() => defaultEscalation(null as never, ticket))).toMatchObject({
      code: 'invalid_type',
      path: ['signal'],
    });
    expect(refusal(() => defaultEscalation({ kind: 'nope' } as never, ticket))).toMatchObject({
      code: 'invalid_signal',
      path: ['signal', 'kind'],
    });
    expect(refusal(() => defaultEscalation(proxy() as never, ticket))).toMatchObject({
      code: 'unreadable_input',
      path: ['signal', 'kind'],
    });
    expect(
      refusal(() =>
        defaultEscalation({ kind: 'sla_breach', clock: 'firstReply' }, { ...ticket, tier: Number.NaN }),
      ),
    ).toMatchObject({ code: 'invalid_type', path: ['ticket', 'tier'] });
  });

  it('parseTicketSnapshot refuses what cannot be read', () => {
    expect(refusal(() => parseTicketSnapshot(proxy()))).toMatchObject({ code: 'unreadable_input' });
    expect(refusal(() => parseTicketSnapshot(Symbol('s')))).toMatchObject({ code: 'invalid_snapshot' });
    expect(refusal(() => parseTicketSnapshot({}, Symbol('w') as never))).toMatchObject({
      code: 'invalid_type',
      path: ['what'],
    });
  });

  it('planCheckIns needs an array of parsed events and an instant', () => {
    expect(planCheckIns([], {}, 0).plans).toEqual([]);
    expect(refusal(() => planCheckIns('x' as never, {}, 0))).toMatchObject({
      code: 'invalid_type',
      path: ['events'],
    });
    expect(refusal(() => planCheckIns([null] as never, {}, 0))).toMatchObject({ path: ['events', 0] });
    expect(refusal(() => planCheckIns([], {}, Number.NaN))).toMatchObject({
      code: 'invalid_instant',
      path: ['now'],
    });
  });

  it('planCheckIns takes now as an option (the positional form above is deprecated)', () => {
    expect(planCheckIns([], {}, { now: 0 }).plans).toEqual([]);
    expect(planCheckIns([], {}, { now: new Date(0) })).toEqual(planCheckIns([], {}, 0));
    expect(refusal(() => planCheckIns([], {}, { now: 0, nwo: 1 } as never))).toMatchObject({
      code: 'unrecognized_keys',
      path: ['options', 'nwo'],
    });
    expect(refusal(() => planCheckIns([], {}, {} as never))).toMatchObject({
      code: 'invalid_instant',
      path: ['options', 'now'],
    });
  });

  it('ticketThread and refKey check their arguments', () => {
    expect(refusal(() => ticketThread(null as never))).toMatchObject({ path: ['events'] });
    expect(
      refusal(() => ticketThread([{ type: 'ticket.split', id: 'x', ticketId: 't' }] as never)),
    ).toMatchObject({ path: ['events', 0, 'messages'] });
    expect(refusal(() => refKey(null as never))).toMatchObject({ path: ['ref'] });
    expect(refKey({ ticketId: 'a', eventId: 'b' })).toBe('a\u0000b');
  });
});
