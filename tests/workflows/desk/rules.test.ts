import type { InboundContactInput, TicketEventInput } from 'carekit';
// Business rules through the desk (issue 17): the rules' changes are stored as events, automations
// wake on the desk's tick at their business instant, fields and custom statuses are checked.
import { describe, expect, it } from 'vitest';
import { CarekitValidationError, type TicketEvent } from '../../../src/model/index.js';
import type { RulesConfigInput } from '../../../src/rules/index.js';
import {
  createDesk,
  createDeskFromConfig,
  createMemoryStore,
  createTicketWorkflow,
  type Desk,
  type DeskOptions,
  type TicketStore,
} from '../../../src/workflows/index.js';
import { FRI, fields, H, shopRules, slaPolicy, statuses, support } from '../../rules/shop.js';

/** The shop's rules, and a trigger that tells the team lead of every customer message. */
const deskRules: RulesConfigInput = {
  ...shopRules,
  triggers: [
    ...(shopRules.triggers ?? []),
    {
      id: 'customer-wrote',
      title: 'The customer wrote: tell the team lead and tag the ticket',
      when: 'customer.replied',
      then: [
        { type: 'notify', to: 'team_lead', message: 'the customer wrote again' },
        { type: 'add_tags', tags: ['customer_wrote'] },
      ],
    },
  ],
};

const shopDesk = (extra: Partial<DeskOptions> = {}): Desk =>
  createDesk({
    agents: [{ id: 'ana', name: 'Ana', capacity: 10 }],
    calendars: { support },
    slaPolicies: [slaPolicy],
    fields,
    statuses,
    rules: deskRules,
    lifecycle: { autoSolvePendingAfter: null },
    // After everything the tests stamp: the time rule never moves an event.
    clock: () => Date.UTC(2030, 0, 1),
    ...extra,
  });

const contact = (externalId: string, at = FRI) =>
  ({
    externalId,
    channel: 'email',
    customer: { id: `c-${externalId}` },
    subject: 'Broken mug',
    body: 'It arrived in pieces.',
    at,
  }) as InboundContactInput;

let n = 0;
const event = (ticketId: string, type: string, at: number, extra: Record<string, unknown> = {}) =>
  ({
    type,
    id: `ev-${++n}`,
    ticketId,
    at,
    ...extra,
  }) as TicketEventInput;

/** Everything the store holds of a ticket, for before/after comparisons. */
async function held(store: TicketStore, ticketId: string) {
  const stored = await store.load(ticketId);
  const effects = [];
  for await (const effect of store.effects()) if (effect.ticketId === ticketId) effects.push(effect);
  return { stored, events: await store.ticketEvents(ticketId), effects };
}

const byRule = (events: readonly TicketEvent[]) =>
  events.filter((e) => 'by' in e && typeof e.by === 'object' && e.by !== null);

describe('business rules through the desk', () => {
  it('runs a trigger once per event and stores its changes as events by the rule', async () => {
    const desk = shopDesk();
    const { ticket } = await desk.receive(contact('m1'));
    const id = ticket.ticketId;
    const notices = [];
    for (let i = 1; i <= 3; i++) {
      const reply = event(id, 'customer.replied', FRI + i * H, { body: `still broken ${i}` });
      const result = await desk.handle(reply);
      const rule = result.effects.filter((e) => e.type === 'notify' && e.reason === 'rule');
      expect(rule).toHaveLength(1);
      expect(rule[0]?.causedBy).toBe(reply.id);
      notices.push(...rule);
    }
    expect(new Set(notices.map((e) => e.id)).size).toBe(3);
    const log = await desk.store.ticketEvents(id);
    // The tag is added by the first reply's pass only: the later passes find it there (no event).
    expect(byRule(log).map((e) => [e.type, (e as { by: { rule: string } }).by.rule])).toEqual([
      ['ticket.tagged', 'customer-wrote'],
    ]);
    const view = await desk.ticket(id);
    expect(view?.tags).toContain('customer_wrote');
    // The stored log replays to the stored snapshot without running the rules again.
    const stored = await desk.store.load(id);
    expect(stored?.workflowKey).toBe('shop');
    expect(lifecycleOf(desk).replay(log, { trusted: true }).snapshot).toEqual(stored?.snapshot);
  });

  it('fires an automation on tick at its business instant, not at the tick', async () => {
    const desk = shopDesk();
    const { ticket } = await desk.receive(contact('m2'));
    const id = ticket.ticketId;
    await desk.handle(event(id, 'ticket.fields_set', FRI + H, { fields: { order_id: 'A-2' } }));
    // A second ticket has no order number: the rule's solve will be refused, and the desk says so.
    const other = (await desk.receive(contact('m2b'))).ticket.ticketId;
    await desk.handle(
      event(other, 'agent.replied', FRI + 6 * H, { agentId: 'ana', body: 'Photo?', status: 'pending' }),
    );
    // Pending on Friday 15:00: 24 business hours (9:00-17:00, Monday to Friday) is Wednesday 15:00.
    await desk.handle(
      event(id, 'agent.replied', FRI + 6 * H, { agentId: 'ana', body: 'Photo?', status: 'pending' }),
    );
    const due = Date.UTC(2025, 2, 19, 15);
    expect((await desk.store.load(id))?.dueAt).toBe(due);
    const early = await desk.tick({ now: due - 1 });
    expect(early.tickets.map((t) => t.ticketId)).not.toContain(id);
    expect(byRule(await desk.store.ticketEvents(id))).toEqual([]);
    // The host ticks late (Thursday night): the reminder is dated Wednesday 15:00 all the same.
    const late = await desk.tick({ now: Date.UTC(2025, 2, 20, 23) });
    expect(late.tickets.map((t) => t.ticketId)).toContain(id);
    const reminded = byRule(await desk.store.ticketEvents(id));
    expect(reminded.map((e) => [e.type, e.at])).toEqual([['ticket.tagged', due]]);
    expect(late.effects).toContainEqual(
      expect.objectContaining({ type: 'send_template', templateId: 'pending_reminder', at: due }),
    );
    // Once per episode: ticking again fires nothing more until the solve automation is due.
    const again = await desk.tick({ now: Date.UTC(2025, 2, 21, 0) });
    expect(again.effects.filter((e) => e.type === 'send_template')).toEqual([]);
    // 40 business hours after Friday 15:00: Friday 2025-03-21 15:00, the ticket is solved by the rule.
    const last = await desk.tick({ now: Date.UTC(2025, 2, 24, 9) });
    expect(last.warnings).toContainEqual(
      expect.objectContaining({ code: 'rule_action_rejected', ticketId: other }),
    );
    expect((await desk.ticket(other))?.status).toBe('pending');
    const solved = byRule(await desk.store.ticketEvents(id)).filter((e) => e.type === 'ticket.status_set');
    expect(solved.map((e) => e.at)).toEqual([Date.UTC(2025, 2, 21, 15)]);
    expect((await desk.ticket(id))?.status).toBe('solved');
  });

  it('refuses to solve while a required field is empty, naming it, and changes nothing', async () => {
    const desk = shopDesk();
    const { ticket } = await desk.receive(contact('m3'));
    const id = ticket.ticketId;
    const before = await held(desk.store, id);
    const refused = await desk.handle(
      event(id, 'ticket.status_set', FRI + H, { status: 'solved', by: 'ana' }),
    );
    expect(refused.rejected?.code).toBe('required_fields_missing');
    expect(refused.rejected?.issues?.map((i) => i.path)).toEqual([['fields', 'order_id']]);
    expect(refused.rejected?.message).toMatch(/order_id/);
    expect(refused.effects).toEqual([]);
    expect(await held(desk.store, id)).toEqual(before);
    // A wrong field value is refused as a whole, with every problem, and changes nothing either.
    const bad = await desk.handle(
      event(id, 'ticket.fields_set', FRI + H, {
        fields: { order_id: 'A-1', return_reason: 'lost', colour: 'red' },
      }),
    );
    expect(bad.rejected?.code).toBe('invalid_fields');
    expect(bad.rejected?.issues?.map((i) => i.code).sort()).toEqual(['invalid_value', 'unknown_field']);
    expect(await held(desk.store, id)).toEqual(before);
    // Filled in, the ticket solves.
    expect(
      (await desk.handle(event(id, 'ticket.fields_set', FRI + H, { fields: { order_id: 'A-1' } }))).rejected,
    ).toBeUndefined();
    const solved = await desk.handle(
      event(id, 'ticket.status_set', FRI + 2 * H, { status: 'solved', by: 'ana' }),
    );
    expect(solved.rejected).toBeUndefined();
    expect(solved.ticket.status).toBe('solved');
    expect(solved.ticket.fields).toEqual({ order_id: 'A-1' });
  });

  it('keeps a custom status in the view, its category in the lifecycle', async () => {
    const desk = shopDesk();
    const { ticket } = await desk.receive(contact('m4'));
    const id = ticket.ticketId;
    const result = await desk.handle(
      event(id, 'ticket.status_set', FRI + H, {
        status: 'on_hold',
        customStatus: 'awaiting_supplier',
        by: 'ana',
      }),
    );
    expect(result.ticket).toMatchObject({ status: 'on_hold', customStatus: 'awaiting_supplier' });
    const unknown = await desk.handle(
      event(id, 'ticket.status_set', FRI + 2 * H, {
        status: 'on_hold',
        customStatus: 'awaiting_godot',
        by: 'ana',
      }),
    );
    expect(unknown.rejected?.code).toBe('unknown_status');
  });

  it('applies a macro with one click: its actions and its reply, by the macro', async () => {
    const desk = shopDesk();
    const { ticket } = await desk.receive(contact('m5'));
    const id = ticket.ticketId;
    await desk.handle(event(id, 'ticket.fields_set', FRI + H, { fields: { order_id: 'A-7' } }));
    const result = await desk.handle(
      event(id, 'macro.applied', FRI + 2 * H, {
        macroId: 'refund',
        agentId: 'ana',
        body: 'Your refund is on its way.',
      }),
    );
    expect(result.rejected).toBeUndefined();
    expect(result.ticket).toMatchObject({
      status: 'solved',
      fields: { order_id: 'A-7', return_reason: 'broken' },
    });
    expect(result.ticket.tags).toContain('refund');
    const log = await desk.store.ticketEvents(id);
    const macro = log.findIndex((e) => e.type === 'macro.applied');
    expect(log.slice(macro).map((e) => e.type)).toEqual([
      'macro.applied',
      'ticket.fields_set',
      'ticket.tagged',
      'agent.replied',
    ]);
    const unknown = await desk.handle(
      event(id, 'macro.applied', FRI + 3 * H, { macroId: 'nope', agentId: 'ana' }),
    );
    expect(unknown.rejected?.code).toBe('unknown_macro');
  });

  it('defines rules given as data with its fields, statuses and calendars; refuses bad ones with paths', () => {
    const desk = shopDesk();
    expect(desk.options.rules?.automations.map((a) => a.id)).toEqual(['pending-reminder', 'pending-solve']);
    expect(desk.options.fields).toBe(fields);
    const error = (() => {
      try {
        shopDesk({
          rules: {
            triggers: [
              {
                id: 't',
                title: 't',
                when: 'ticket.opened',
                then: [{ type: 'set_fields', fields: { nope: 1 } }],
              },
            ],
          },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CarekitValidationError);
    expect((error as CarekitValidationError).issues[0]).toMatchObject({ code: 'unknown_field' });
    expect(() => shopDesk({ fields: { definitions: [] } as never })).toThrow(/fields/);
  });

  it('takes fields, statuses and rules from a desk configuration as data, checked with paths from its root', async () => {
    const config = {
      calendars: { support: support.config },
      fields: fields.definitions,
      statuses: statuses.definitions,
      rules: deskRules,
      agents: [{ id: 'ana', name: 'Ana' }],
      lifecycle: { autoSolvePendingAfter: null },
    };
    const desk = createDeskFromConfig(config, {
      clock: () => Date.UTC(2030, 0, 1),
      store: createMemoryStore(),
    });
    const { ticket } = await desk.receive(contact('m6'));
    const refused = await desk.handle(
      event(ticket.ticketId, 'ticket.status_set', FRI + H, { status: 'solved', by: 'ana' }),
    );
    expect(refused.rejected?.code).toBe('required_fields_missing');
    const error = (() => {
      try {
        createDeskFromConfig({
          ...config,
          rules: {
            automations: [
              {
                id: 'a',
                title: 'a',
                when: { since: 'opened', atLeast: { hours: 1 }, calendar: 'office' },
                then: [{ type: 'set_status', status: 'awaiting_godot' }],
              },
            ],
          },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CarekitValidationError);
    const issues = (error as CarekitValidationError).issues.map((i) => [i.code, i.path.join('.')]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['unknown_calendar', 'rules.automations.0.when.calendar'],
        ['unknown_status', 'rules.automations.0.then.0.status'],
      ]),
    );
  });
});

/** The lifecycle the shop desk runs its tickets under (as createDesk builds it). */
function lifecycleOf(desk: Desk) {
  return createTicketWorkflow({
    autoSolvePendingAfter: null,
    sla: slaPolicy,
    calendars: { support },
    fields,
    statuses,
    ...(desk.options.rules ? { rules: desk.options.rules } : {}),
  });
}
