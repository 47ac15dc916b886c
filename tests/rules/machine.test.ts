// The boundary between the XState machine and business rules (docs/rules.md): the machine does
// not run rules; fed a recorded log (the host's events and the rules'), an actor reaches the
// status and the ticket that replaying the log reaches, all but the automations' bookkeeping.

import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { ticketMachine } from '../../src/workflows/machine/index.js';
import { drive, ev, FRI, H, opened, shopWorkflow } from './shop.js';

describe('the XState machine and business rules', () => {
  it('an actor over a recorded log agrees with replay, except the automations bookkeeping', () => {
    const wf = shopWorkflow();
    const { log, snapshot } = drive(wf, opened(FRI, { id: 'c1', segment: 'vip' }), [
      ev('ticket.fields_set', FRI + H, { fields: { order_id: 'A-1' } }),
      ev('agent.replied', FRI + 2 * H, { agentId: 'a1', body: 'Photo?', status: 'pending' }),
      ev('clock.tick', Date.UTC(2025, 2, 20, 12)),
      ev('customer.replied', Date.UTC(2025, 2, 20, 13), { body: 'Here it is' }),
      ev('macro.applied', Date.UTC(2025, 2, 20, 14), { macroId: 'refund', agentId: 'a1', body: 'Refunded.' }),
    ]);
    expect(log.some((e) => 'by' in e && typeof e.by === 'object')).toBe(true);
    expect(wf.replay(log, { trusted: true }).snapshot).toEqual(snapshot);
    let sawFired = false;
    // Every prefix of the log: the actor and the recorded replay agree.
    for (let n = 1; n <= log.length; n++) {
      const prefix = log.slice(0, n);
      const replayed = wf.replay(prefix, { trusted: true }).snapshot;
      const [first, ...rest] = prefix;
      const actor = createActor(ticketMachine(wf), { input: { opened: first as never } }).start();
      for (const e of rest) actor.send(e as never);
      const machine = actor.getSnapshot();
      actor.stop();
      expect(machine.value).toBe(replayed.status);
      const { automations, ...context } = replayed.context;
      // The machine's own keys (its outbox of effects, its last rejection) are not the ticket's.
      const {
        automations: fromMachineAutomations,
        outbox: _o,
        rejection: _r,
        ...fromMachine
      } = machine.context as typeof replayed.context & { outbox: unknown; rejection: unknown };
      expect(fromMachine).toEqual(context);
      // The one difference: the machine does not mark an automation that came due as fired for
      // its episode (that is the rules' run); it keeps the instant it was due.
      expect(Object.keys(fromMachineAutomations).sort()).toEqual(Object.keys(automations).sort());
      for (const [id, state] of Object.entries(automations)) {
        if (state === 'fired') {
          sawFired = true;
          expect(typeof fromMachineAutomations[id]).toBe('number');
        } else expect(fromMachineAutomations[id]).toBe(state);
      }
    }
    expect(sawFired).toBe(true);
  });
});
