import { describe, expect, it } from 'vitest';
import { CarekitValidationError, type TicketEvent } from '../../src/model/index.js';
import { defineRules, dryRun, explainTicket, type RulesConfigInput } from '../../src/rules/index.js';
import { createTicketWorkflow, parseTicketSnapshot } from '../../src/workflows/index.js';
import {
  drive,
  ev,
  FRI,
  fields,
  H,
  opened,
  rules,
  shopRules,
  shopWorkflow,
  statuses,
  support,
} from './shop.js';

const ruleOf = (e: TicketEvent) => ('by' in e && typeof e.by === 'object' ? e.by.rule : null);

describe('triggers', () => {
  const wf = shopWorkflow();
  const solvedThenReopened = (segment?: string) =>
    drive(wf, opened(FRI, segment === undefined ? { id: 'c1' } : { id: 'c1', segment }), [
      ev('ticket.fields_set', FRI + H, { fields: { order_id: 'A-1001' } }),
      ev('agent.replied', FRI + 2 * H, { agentId: 'a1', body: 'A new one ships today.', status: 'solved' }),
      ev('customer.replied', FRI + 3 * H, { body: 'It broke again.' }),
    ]);

  it('a VIP reopening raises the priority and tags the ticket, as events by the rule', () => {
    const { snapshot, log } = solvedThenReopened('vip');
    expect(snapshot.status).toBe('open');
    expect(snapshot.context.priority).toBe('high');
    expect(snapshot.context.tags).toContain('vip_reopen');
    const made = log.filter((e) => ruleOf(e) !== null);
    expect(made.map((e) => [e.type, ruleOf(e)])).toEqual([
      ['ticket.reprioritized', 'vip-reopen'],
      ['ticket.tagged', 'vip-reopen'],
    ]);
    // The rule's events come right after the reply that reopened the ticket, at its instant.
    expect(log.at(-3)?.type).toBe('customer.replied');
    expect(made.every((e) => e.at === FRI + 3 * H)).toBe(true);
  });

  it('does nothing for other customers', () => {
    const { snapshot, log } = solvedThenReopened();
    expect(snapshot.context.priority).toBe('normal');
    expect(log.some((e) => ruleOf(e) !== null)).toBe(false);
  });

  it('replaying the recorded log does not run the rules again and gives the same ticket', () => {
    const { snapshot, log } = solvedThenReopened('vip');
    const replayed = wf.replay(log);
    expect(replayed.rejected).toEqual([]);
    expect(replayed.snapshot).toEqual(snapshot);
    // Without its rule events, a replay as recorded loses their changes: they were not re-run.
    const hostOnly = log.filter((e) => ruleOf(e) === null);
    expect(wf.replay(hostOnly).snapshot.context.priority).toBe('normal');
    expect(wf.replay(hostOnly, { runRules: true }).snapshot).toEqual(snapshot);
  });

  it('an action whose change is already there makes no event', () => {
    const wf2 = createTicketWorkflow({
      rules: defineRules({
        triggers: [
          {
            id: 'urgent-chat',
            title: 'Chat is urgent',
            when: ['ticket.opened', 'customer.replied'],
            if: { prop: 'channel', op: 'is', value: 'chat' },
            then: [{ type: 'set_priority', priority: 'urgent' }],
          },
        ],
      }),
    });
    const { log } = drive(wf2, { ...opened(), channel: 'chat' }, [
      ev('customer.replied', FRI + H, { body: 'hi' }),
    ]);
    expect(log.filter((e) => ruleOf(e) !== null)).toHaveLength(1);
  });

  it('runs in the order listed: a change is visible to the rules after it in the same pass', () => {
    const wf2 = createTicketWorkflow({
      rules: defineRules({
        triggers: [
          {
            id: 'tag-refunds',
            title: 'Refund questions are tagged',
            when: 'ticket.categorized',
            if: { prop: 'category', op: 'is', value: 'refund' },
            then: [{ type: 'add_tags', tags: ['money'] }],
          },
          {
            id: 'money-high',
            title: 'Money matters are high',
            when: 'ticket.categorized',
            if: { prop: 'tags', op: 'includes', value: 'money' },
            then: [{ type: 'set_priority', priority: 'high' }],
          },
        ],
      }),
    });
    const { snapshot } = drive(wf2, opened(), [ev('ticket.categorized', FRI + H, { category: 'refund' })]);
    expect(snapshot.context.priority).toBe('high');
  });

  it('stops a pair of rules that flip a field back and forth, and names them', () => {
    const flip: RulesConfigInput = {
      triggers: [
        {
          id: 'flip-on',
          title: 'on',
          when: 'ticket.fields_set',
          if: { field: 'return_reason', op: 'is', value: 'late' },
          then: [{ type: 'set_fields', fields: { return_reason: 'broken' } }],
        },
        {
          id: 'flip-off',
          title: 'off',
          when: 'ticket.fields_set',
          if: { field: 'return_reason', op: 'is', value: 'broken' },
          then: [{ type: 'set_fields', fields: { return_reason: 'late' } }],
        },
      ],
    };
    const wf2 = createTicketWorkflow({ rules: defineRules(flip, { fields }) });
    const result = drive(wf2, opened(), [
      ev('ticket.fields_set', FRI + H, { fields: { return_reason: 'late' } }),
    ]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ code: 'rule_cycle' });
    expect([...result.warnings[0]!.rules].sort()).toEqual(['flip-off', 'flip-on']);
    // maxPasses is one more than the number of triggers: three passes of two changes each.
    expect(result.log.filter((e) => ruleOf(e) !== null)).toHaveLength(6);
    expect(result.snapshot.context.fields.return_reason).toBe('late');
    expect(wf2.replay(result.log).snapshot).toEqual(result.snapshot);
  });

  it('a change the lifecycle refuses is a warning; the rule’s other changes stand', () => {
    const wf2 = createTicketWorkflow({
      fields,
      rules: defineRules(
        {
          triggers: [
            {
              id: 'solve-thanks',
              title: 'Thanks solves',
              when: 'customer.replied',
              then: [
                { type: 'set_status', status: 'solved' },
                { type: 'add_tags', tags: ['thanked'] },
              ],
            },
          ],
        },
        { fields },
      ),
      requireAssigneeToSolve: false,
    });
    const result = drive(wf2, opened(), [ev('customer.replied', FRI + H, { body: 'thanks!' })]);
    expect(result.snapshot.status).toBe('new');
    expect(result.snapshot.context.tags).toEqual(['thanked']);
    expect(result.warnings).toMatchObject([{ code: 'rule_action_rejected', rules: ['solve-thanks'] }]);
    expect(result.warnings[0]!.message).toContain('required_fields_missing');
  });

  it('custom actions in function form', () => {
    const wf2 = createTicketWorkflow({
      rules: defineRules(
        {
          triggers: [
            {
              id: 'vip-agent',
              title: 'VIPs go to Ana',
              when: 'ticket.opened',
              then: [{ type: 'custom', name: 'byLanguage' }],
            },
          ],
        },
        {
          customActions: {
            byLanguage: (ticket) => [{ type: 'assign', agentId: ticket.language === 'pt' ? 'ana' : 'bo' }],
          },
        },
      ),
    });
    const { snapshot, log } = drive(wf2, { ...opened(), language: 'pt' }, []);
    expect(snapshot.context.assigneeId).toBe('ana');
    expect(snapshot.status).toBe('open');
    expect(log.map((e) => e.type)).toEqual(['ticket.opened', 'ticket.assigned']);
  });
});

describe('automations', () => {
  const wf = shopWorkflow();
  const pendingAt = FRI + 7 * H; // Friday 16:00
  const reminderAt = Date.UTC(2025, 2, 19, 16); // Wednesday 16:00: 1 + 8 + 8 + 7 business hours
  const solveAt = Date.UTC(2025, 2, 21, 16); // next Friday 16:00: 40 business hours
  const start = [
    ev('ticket.fields_set', FRI + H, { fields: { order_id: 'A-1001' } }),
    ev('ticket.assigned', FRI + H, { agentId: 'a1' }),
    ev('agent.replied', pendingAt, { agentId: 'a1', body: 'Could you send a photo?', status: 'pending' }),
  ];

  it('joins dueAt at the instant its condition will hold, in business hours', () => {
    const { snapshot } = drive(wf, opened(), start);
    // Stored: the lazy lower bound (24 hours of calendar time after Friday 16:00, before which
    // 24 business hours cannot have passed); dueAt answers the instant itself.
    expect(snapshot.context.automations).toEqual({ 'pending-reminder': pendingAt + 24 * H });
    const reminderOnly = { ...snapshot, context: { ...snapshot.context, sla: null, autoSolveAt: null } };
    expect(wf.dueAt(reminderOnly)).toBe(reminderAt);
    expect(wf.dueAt(snapshot)).toBeLessThanOrEqual(reminderAt);
  });

  it('reads a snapshot stored with the exact instant (before the lazy bound) as it did', () => {
    // Snapshots stored before the lazy bound hold the instant itself: the same shape, and an
    // instant is its own lower bound, so such a snapshot parses and goes on the same.
    const { snapshot } = drive(wf, opened(), start);
    const stored = JSON.parse(
      JSON.stringify({
        ...snapshot,
        context: { ...snapshot.context, automations: { 'pending-reminder': reminderAt } },
      }),
    );
    const old = parseTicketSnapshot(stored);
    expect(old.context.automations).toEqual({ 'pending-reminder': reminderAt });
    expect(wf.dueAt(old)).toBe(wf.dueAt(snapshot));
    for (const at of [pendingAt + 24 * H, reminderAt - 1, reminderAt, solveAt]) {
      const tick = ev('clock.tick', at);
      const fromOld = wf.apply(old, tick);
      const fromNew = wf.apply(snapshot, tick);
      expect(fromOld.log).toEqual(fromNew.log);
      expect(fromOld.effects).toEqual(fromNew.effects);
      expect(fromOld.snapshot.context.tags).toEqual(fromNew.snapshot.context.tags);
      expect(fromOld.snapshot.status).toBe(fromNew.snapshot.status);
      expect(wf.dueAt(fromOld.snapshot)).toBe(wf.dueAt(fromNew.snapshot));
    }
    // The reminder fires at its instant from either.
    const fired = wf.apply(old, ev('clock.tick', reminderAt + H)).log ?? [];
    expect(fired.filter((e) => ruleOf(e) !== null).map((e) => [ruleOf(e), e.at])).toEqual([
      ['pending-reminder', reminderAt],
    ]);
  });

  it('fires at that instant exactly, once, then the next one fires at its own', () => {
    const first = drive(wf, opened(), [...start, ev('clock.tick', reminderAt - 1)]);
    expect(first.snapshot.context.tags).not.toContain('reminded');
    const { snapshot, log, effects } = drive(wf, opened(), [
      ...start,
      ev('clock.tick', reminderAt),
      ev('clock.tick', reminderAt + H),
      ev('clock.tick', solveAt),
    ]);
    const made = log.filter((e) => ruleOf(e) !== null);
    expect(made.map((e) => [ruleOf(e), e.type, e.at])).toEqual([
      ['pending-reminder', 'ticket.tagged', reminderAt],
      ['pending-solve', 'ticket.status_set', solveAt],
    ]);
    expect(effects.filter((e) => e.type === 'send_template').map((e) => e.at)).toEqual([reminderAt]);
    expect(snapshot.status).toBe('solved');
    expect(snapshot.context.automations).toEqual({});
  });

  it('does not depend on how often the host ticks: an event after the instants fires them at theirs', () => {
    const ticked = drive(wf, opened(), [...start, ev('clock.tick', reminderAt), ev('clock.tick', solveAt)]);
    const late = drive(wf, opened(), [
      ...start,
      ev('agent.noted', solveAt + 5 * H, { agentId: 'a1', body: 'late' }),
    ]);
    const madeAt = (log: readonly TicketEvent[]) =>
      log.filter((e) => ruleOf(e) !== null).map((e) => [e.type, e.at]);
    expect(madeAt(late.log)).toEqual(madeAt(ticked.log));
    expect(late.snapshot.status).toBe('solved');
    // The rules' changes before the note come before it in the log.
    expect(late.log.at(-1)?.type).toBe('agent.noted');
    expect(wf.replay(late.log).snapshot).toEqual(late.snapshot);
  });

  it('fires again only after its condition stopped holding (a new episode)', () => {
    const { log } = drive(wf, opened(), [
      ...start,
      ev('clock.tick', reminderAt),
      ev('customer.replied', reminderAt + H, { body: 'Here it is' }),
      ev('ticket.tagged', reminderAt + H, { remove: ['reminded'] }),
      ev('agent.replied', reminderAt + 2 * H, { agentId: 'a1', body: 'Thanks, checking', status: 'pending' }),
      ev('clock.tick', reminderAt + 30 * 24 * H),
    ]);
    const reminders = log.filter((e) => ruleOf(e) === 'pending-reminder');
    expect(reminders).toHaveLength(2);
  });
});

describe('custom statuses', () => {
  const wf = shopWorkflow();
  it('awaiting_supplier is on_hold and pauses the resolution clock, which on_hold alone does not', () => {
    const base = [ev('ticket.assigned', FRI + H, { agentId: 'a1' })];
    const supplier = drive(wf, opened(), [
      ...base,
      ev('ticket.status_set', FRI + 2 * H, { status: 'on_hold', customStatus: 'awaiting_supplier' }),
    ]);
    const plain = drive(wf, opened(), [...base, ev('ticket.status_set', FRI + 2 * H, { status: 'on_hold' })]);
    expect(supplier.snapshot.status).toBe('on_hold');
    const later = FRI + 6 * H;
    const a = wf.view(supplier.snapshot, { now: later });
    const b = wf.view(plain.snapshot, { now: later });
    expect(a.customStatus).toBe('awaiting_supplier');
    expect(b.customStatus).toBeNull();
    expect(a.sla?.clocks.resolution?.status).toBe('paused');
    expect(a.sla?.clocks.resolution?.elapsedMs).toBe(2 * H);
    expect(b.sla?.clocks.resolution?.status).toBe('running');
    expect(b.sla?.clocks.resolution?.elapsedMs).toBe(6 * H);
  });

  it('leaves the custom status when the status changes', () => {
    const { snapshot } = drive(wf, opened(), [
      ev('ticket.status_set', FRI + 2 * H, { status: 'on_hold', customStatus: 'awaiting_supplier' }),
      ev('customer.replied', FRI + 3 * H, { body: 'any news?' }),
    ]);
    expect(snapshot.status).toBe('open');
    expect(snapshot.context.customStatus).toBeNull();
  });

  it('refuses an unknown custom status or one of another category', () => {
    const { snapshot } = wf.start(opened());
    const unknown = wf.apply(
      snapshot,
      ev('ticket.status_set', FRI + H, { status: 'on_hold', customStatus: 'lost' }),
    );
    expect(unknown.rejected?.code).toBe('unknown_status');
    expect(unknown.rejected?.issues?.[0]?.path).toEqual(['customStatus']);
    const wrong = wf.apply(
      snapshot,
      ev('ticket.status_set', FRI + H, { status: 'pending', customStatus: 'awaiting_supplier' }),
    );
    expect(wrong.rejected?.message).toContain('is a on_hold status');
    expect(wrong.snapshot).toBe(snapshot);
  });
});

describe('fields', () => {
  const wf = shopWorkflow();
  it('sets fields as a partial update and shows them in the view', () => {
    const { snapshot } = drive(wf, opened(), [
      ev('ticket.fields_set', FRI + H, { fields: { order_id: 'A-1', refund_amount: 20 } }),
      ev('ticket.fields_set', FRI + 2 * H, { fields: { refund_amount: null, return_reason: 'late' } }),
    ]);
    expect(wf.view(snapshot).fields).toEqual({ order_id: 'A-1', return_reason: 'late' });
  });

  it('refuses an unknown field or a wrong type, clearly, and applies nothing', () => {
    const { snapshot } = wf.start(opened());
    const result = wf.apply(
      snapshot,
      ev('ticket.fields_set', FRI + H, { fields: { order_id: 'A-1', colour: 'red', refund_amount: -5 } }),
    );
    expect(result.rejected?.code).toBe('invalid_fields');
    expect(result.rejected?.issues?.map((i) => [i.code, i.path])).toEqual([
      ['unknown_field', ['fields', 'colour']],
      ['too_small', ['fields', 'refund_amount']],
    ]);
    expect(result.rejected?.message).toContain('colour: is not a ticket field; the fields are order_id');
    expect(result.snapshot).toBe(snapshot);
  });

  it('refuses to solve while a field required to solve is empty, naming it', () => {
    const { snapshot } = drive(wf, opened(), [ev('ticket.assigned', FRI + H, { agentId: 'a1' })]);
    const result = wf.apply(snapshot, ev('ticket.status_set', FRI + 2 * H, { status: 'solved' }));
    expect(result.rejected?.code).toBe('required_fields_missing');
    expect(result.rejected?.issues).toMatchObject([
      { code: 'required_to_solve', path: ['fields', 'order_id'] },
    ]);
    expect(result.snapshot).toBe(snapshot);
  });
});

describe('macros', () => {
  const wf = shopWorkflow();
  it('applies its actions and its reply with one event', () => {
    const { snapshot, log } = drive(wf, opened(), [
      ev('ticket.fields_set', FRI + H, { fields: { order_id: 'A-1' } }),
      ev('macro.applied', FRI + 2 * H, {
        macroId: 'refund',
        agentId: 'a1',
        body: 'Your refund is on its way.',
      }),
    ]);
    expect(snapshot.status).toBe('solved');
    expect(snapshot.context.assigneeId).toBe('a1');
    expect(snapshot.context.fields.return_reason).toBe('broken');
    expect(snapshot.context.tags).toEqual(['refund']);
    expect(log.slice(-4).map((e) => [e.type, ruleOf(e)])).toEqual([
      ['macro.applied', null],
      ['ticket.fields_set', 'refund'],
      ['ticket.tagged', 'refund'],
      ['agent.replied', 'refund'],
    ]);
  });

  it('refuses an unknown macro', () => {
    const { snapshot } = wf.start(opened());
    expect(
      wf.apply(snapshot, ev('macro.applied', FRI + H, { macroId: 'nope', agentId: 'a1' })).rejected?.code,
    ).toBe('unknown_macro');
  });
});

describe('explainTicket and dryRun', () => {
  const wf = shopWorkflow();
  const history = () =>
    drive(wf, opened(FRI, { id: 'c1', segment: 'vip' }), [
      ev('ticket.fields_set', FRI + H, { fields: { order_id: 'A-1' } }),
      ev('agent.replied', FRI + 2 * H, { agentId: 'a1', body: 'Sorted.', status: 'solved' }),
      ev('customer.replied', FRI + 3 * H, { body: 'Not sorted.' }),
    ]);

  it('lists, for each change, the rule or the person that made it', () => {
    const changes = explainTicket(history().log, { rules });
    expect(changes.map((c) => [c.by.kind === 'rule' ? `rule ${c.by.title}` : c.by.kind, c.change])).toEqual([
      ['customer', 'opened the ticket on email: Broken mug'],
      ['unknown', 'set order_id = "A-1"'],
      ['agent', 'replied and set status solved'],
      ['customer', 'replied'],
      ['rule A VIP reopened a ticket: raise the priority and tag it', 'set priority high'],
      ['rule A VIP reopened a ticket: raise the priority and tag it', 'added tags vip_reopen'],
    ]);
  });

  it('the same rules change nothing; other rules list what would fire differently', () => {
    const { log } = history();
    expect(dryRun(rules, log, wf).same).toBe(true);
    const without = defineRules({ ...shopRules, triggers: [] }, { fields, statuses, calendars: { support } });
    const result = dryRun(without, log, wf);
    expect(result.same).toBe(false);
    expect(result.added).toEqual([]);
    expect(result.removed.map((f) => `${f.ruleId}: ${f.change}`)).toEqual([
      'vip-reopen: set priority high',
      'vip-reopen: added tags vip_reopen',
    ]);
  });
});

describe('defineRules validates the rules as a whole', () => {
  const issuesOf = (config: RulesConfigInput, options = {}) => {
    try {
      defineRules(config, { fields, statuses, calendars: { support }, ...options });
      return [];
    } catch (error) {
      if (!(error instanceof CarekitValidationError)) throw error;
      return error.issues.map((i) => [i.code, i.path.join('.')]);
    }
  };
  const t = (extra: Record<string, unknown>) => ({
    id: 'r1',
    title: 'r',
    when: 'customer.replied',
    then: [{ type: 'add_tags', tags: ['x'] }],
    ...extra,
  });

  it('accepts the shop rules', () => {
    expect(issuesOf(shopRules)).toEqual([]);
  });

  it('names unknown fields, statuses, actions and calendars with their paths', () => {
    expect(
      issuesOf({
        triggers: [
          t({ if: { field: 'colour', op: 'is', value: 'red' } }) as never,
          t({ id: 'r2', then: [{ type: 'set_status', status: 'awaiting_finance' }] }) as never,
          t({ id: 'r3', then: [{ type: 'custom', name: 'magic' }] }) as never,
          t({ id: 'r4', then: [{ type: 'set_fields', fields: { refund_amount: 'ten' } }] }) as never,
        ],
        automations: [
          {
            id: 'a1',
            title: 'a',
            when: { since: 'opened', atLeast: { hours: 1 }, calendar: 'night' },
            then: [{ type: 'add_tags', tags: ['x'] }],
          },
        ],
      }),
    ).toEqual([
      ['unknown_field', 'triggers.0.if.field'],
      ['unknown_status', 'triggers.1.then.0.status'],
      ['unknown_action', 'triggers.2.then.0.name'],
      ['invalid_type', 'triggers.3.then.0.fields.refund_amount'],
      ['unknown_calendar', 'automations.0.when.calendar'],
    ]);
  });

  it('refuses conflicting actions, unreachable rules, tick triggers and repeated ids', () => {
    expect(
      issuesOf({
        triggers: [
          t({
            then: [
              { type: 'set_priority', priority: 'high' },
              { type: 'set_priority', priority: 'low' },
            ],
          }) as never,
          t({ id: 'r2', when: 'ticket.opened', if: { prop: 'status', op: 'is', value: 'solved' } }) as never,
          t({ id: 'r3', when: 'clock.tick' }) as never,
          t({
            id: 'r4',
            if: {
              all: [
                { prop: 'priority', op: 'is', value: 'low' },
                { prop: 'priority', op: 'gte', value: 'high' },
              ],
            },
          }) as never,
          t({ id: 'r1' }) as never,
        ],
      }),
    ).toEqual([
      ['conflicting_actions', 'triggers.0.then.1'],
      ['unreachable_rule', 'triggers.1.if'],
      ['tick_trigger', 'triggers.2.when'],
      ['unreachable_rule', 'triggers.3.if'],
      ['duplicate_id', 'triggers.4.id'],
    ]);
  });

  it('refuses operators that do not apply and malformed rules, in sentences', () => {
    expect(issuesOf({ triggers: [t({ if: { prop: 'tags', op: 'gt', value: 3 } }) as never] })).toEqual([
      ['invalid_operator', 'triggers.0.if.op'],
    ]);
    expect(issuesOf({ triggers: [t({ then: [] }) as never] })).toEqual([['too_small', 'triggers.0.then']]);
    expect(() => defineRules({ triggers: [t({ when: 'ticket.solved' }) as never] })).toThrow(
      /triggers\[0\]\.when/,
    );
  });

  it('refuses rules defined with other fields than the workflow', () => {
    expect(() => createTicketWorkflow({ rules, fields: shopFieldsCopy() })).toThrow(
      /other fields or statuses/,
    );
  });
});

function shopFieldsCopy() {
  return { ...fields };
}
