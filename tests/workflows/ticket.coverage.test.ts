import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { parseTicketEvent } from '../../src/model/index.js';
import { createTicketWorkflow } from '../../src/workflows/index.js';
import { arbTicketLog } from './ticket.arbitraries.js';

interface TransitionLike {
  readonly eventType: string;
  readonly source: { readonly key: string };
}

/** Every transition the machine defines, by state, event and position among the candidates. */
function allTransitions(machine: ReturnType<typeof createTicketWorkflow>['machine']) {
  const keys = new Map<TransitionLike, string>();
  for (const node of Object.values(machine.root.states)) {
    for (const [event, list] of node.transitions) {
      list.forEach((t, i) => {
        keys.set(t as unknown as TransitionLike, `${node.key} ${event} #${i}`);
      });
    }
    (node.always ?? []).forEach((t, i) => {
      keys.set(t as unknown as TransitionLike, `${node.key} always #${i}`);
    });
  }
  return keys;
}

describe('ticket machine coverage', () => {
  it('arbitrary logs exercise every transition of the machine', () => {
    const configs = [
      createTicketWorkflow({ autoSolvePendingAfter: { days: 2 }, autoCloseSolvedAfter: { days: 1 } }),
      createTicketWorkflow({
        requireAssigneeToSolve: false,
        assignOnReply: false,
        reopenWindow: { hours: 6 },
      }),
      createTicketWorkflow({ blockedCustomers: 'close_as_spam' }),
    ];
    const keys = allTransitions(configs[0]!.machine);
    const seen = new Set<string>();
    const logs = fc.sample(fc.tuple(arbTicketLog(40), fc.nat(2), fc.boolean()), {
      numRuns: 2500,
      seed: 20251123,
    });
    // Too rare to leave to chance: an auto-solved ticket nobody was assigned, "solved" again by a bot.
    const base = { ticketId: 'T-1', at: Date.UTC(2025, 2, 10) };
    logs.push([
      [
        {
          ...base,
          type: 'ticket.opened',
          id: 'r0',
          channel: 'chat',
          subject: 's',
          body: 'b',
          customer: { id: 'c1' },
        },
        { ...base, type: 'ticket.status_set', id: 'r1', status: 'pending' },
        { ...base, type: 'clock.tick', id: 'r2', at: base.at + 3 * 86_400_000 },
        {
          ...base,
          type: 'agent.replied',
          id: 'r3',
          at: base.at + 3 * 86_400_000,
          agentId: 'bot',
          body: 'Solved?',
          bot: true,
          status: 'solved',
        },
      ],
      0,
      false,
    ]);
    // Also rare: an on-hold ticket nobody holds, "solved" by a person's internal reply (refused).
    logs.push([
      [
        {
          ...base,
          type: 'ticket.opened',
          id: 'h0',
          channel: 'chat',
          subject: 's',
          body: 'b',
          customer: { id: 'c1' },
        },
        { ...base, type: 'ticket.status_set', id: 'h1', status: 'on_hold' },
        {
          ...base,
          type: 'agent.replied',
          id: 'h2',
          agentId: 'a1',
          body: 'x',
          public: false,
          status: 'solved',
        },
      ],
      0,
      false,
    ]);
    for (const [log, which, blocked] of logs) {
      const wf = configs[which]!;
      const byDefinition = allTransitions(wf.machine);
      const opened = parseTicketEvent(
        blocked ? { ...log[0], customer: { id: 'c1', blocked: true } } : log[0],
      );
      if (opened.type !== 'ticket.opened') throw new Error('unreachable');
      const actor = createActor(wf.machine, { input: { opened } });
      // The eventless transition taken at start is visible in the first snapshot.
      if (blocked && wf === configs[2]) seen.add('new always #0');
      actor.start();
      for (const raw of log.slice(1)) {
        const event = parseTicketEvent(raw);
        for (const t of wf.machine.getTransitionData(actor.getSnapshot(), event)) {
          const key = byDefinition.get(t as unknown as TransitionLike);
          if (key !== undefined) seen.add(key);
        }
        actor.send(event);
      }
      actor.stop();
    }
    const missing = [...keys.values()].filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
    expect(seen.size).toBe(keys.size);
  });
});
