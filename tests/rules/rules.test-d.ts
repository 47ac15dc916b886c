import { describe, expectTypeOf, it } from 'vitest';
import type { FieldUpdate, FieldValues, TicketEvent } from '../../src/model/index.js';
import {
  defineFields,
  defineRules,
  defineStatuses,
  type RuleAction,
  type RuleSet,
  type RuleTicket,
  type TicketChange,
} from '../../src/rules/index.js';
import type { ApplyResult, RuleWarning } from '../../src/workflows/index.js';

describe('rules types', () => {
  it('types field values from the schema', () => {
    const schema = [
      { id: 'order_id', type: 'text', label: 'Order' },
      { id: 'refund', type: 'number', label: 'Refund' },
      { id: 'gift', type: 'boolean', label: 'Gift' },
      { id: 'reason', type: 'one_of', label: 'Reason', options: ['late', 'broken'] },
      { id: 'parts', type: 'many_of', label: 'Parts', options: ['lid', 'handle'] },
    ] as const;
    const fields = defineFields(schema);
    expectTypeOf<FieldValues<typeof schema>>().toEqualTypeOf<{
      order_id?: string;
      refund?: number;
      gift?: boolean;
      reason?: 'late' | 'broken';
      parts?: readonly ('lid' | 'handle')[];
    }>();
    expectTypeOf<FieldUpdate<typeof schema>['reason']>().toEqualTypeOf<
      'late' | 'broken' | null | undefined
    >();
    expectTypeOf(fields.missingToSolve).returns.toEqualTypeOf<string[]>();
    // @ts-expect-error a field needs a label
    defineFields([{ id: 'x', type: 'text' }]);
    // @ts-expect-error an unknown field type
    defineFields([{ id: 'x', type: 'colour', label: 'x' }]);
  });

  it('types custom status ids', () => {
    const statuses = defineStatuses([
      { id: 'awaiting_supplier', label: 'Awaiting supplier', category: 'on_hold' },
    ]);
    expectTypeOf(statuses.$ids).toEqualTypeOf<'awaiting_supplier' | undefined>();
    // @ts-expect-error closed is not a category a custom status can map onto
    defineStatuses([{ id: 'x', label: 'x', category: 'closed' }]);
  });

  it('checks rule shapes', () => {
    expectTypeOf(defineRules({ triggers: [] })).toEqualTypeOf<RuleSet>();
    defineRules({
      triggers: [
        {
          id: 't',
          title: 't',
          when: 'reopened',
          if: { prop: 'priority', op: 'in', value: ['high'] },
          then: [{ type: 'set_priority', priority: 'urgent' }],
        },
      ],
    });
    defineRules({
      // @ts-expect-error an event type that does not exist
      triggers: [{ id: 't', title: 't', when: 'ticket.solved', then: [{ type: 'add_tags', tags: ['x'] }] }],
    });
    defineRules({
      triggers: [
        // @ts-expect-error a priority that does not exist
        { id: 't', title: 't', when: 'reopened', then: [{ type: 'set_priority', priority: 'asap' }] },
      ],
    });
    expectTypeOf<Extract<RuleAction, { type: 'assign' }>>().toHaveProperty('queue');
  });

  it('custom actions read a rule ticket and return data actions', () => {
    defineRules(
      { triggers: [] },
      { customActions: { pick: (ticket: RuleTicket) => [{ type: 'assign', agentId: ticket.customerId }] } },
    );
    defineRules(
      { triggers: [] },
      // @ts-expect-error a custom action cannot return another custom action
      { customActions: { loop: () => [{ type: 'custom', name: 'loop' }] } },
    );
  });

  it('apply results carry the log and the warnings', () => {
    expectTypeOf<ApplyResult['log']>().toEqualTypeOf<readonly TicketEvent[] | undefined>();
    expectTypeOf<ApplyResult['warnings']>().toEqualTypeOf<readonly RuleWarning[] | undefined>();
    expectTypeOf<TicketChange['by']['kind']>().toEqualTypeOf<
      'rule' | 'agent' | 'customer' | 'actor' | 'unknown'
    >();
  });
});
