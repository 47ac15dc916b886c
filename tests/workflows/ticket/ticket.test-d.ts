import { describe, expectTypeOf, it } from 'vitest';
import type { TicketStatus } from '../../../src/model/index.js';
import {
  type ApplyResult,
  createTicketWorkflow,
  type EscalateFn,
  type Rejection,
  type RejectionCode,
  type TicketEffect,
  type TicketSnapshot,
  type TicketView,
} from '../../../src/workflows/index.js';

describe('ticket workflow types', () => {
  const tickets = createTicketWorkflow();

  it('returns plain snapshots, effects and views', () => {
    expectTypeOf(tickets.apply).returns.toEqualTypeOf<ApplyResult>();
    expectTypeOf<ApplyResult['rejected']>().toEqualTypeOf<Rejection | undefined>();
    expectTypeOf<TicketSnapshot['status']>().toEqualTypeOf<TicketStatus>();
    expectTypeOf(tickets.dueAt).returns.toEqualTypeOf<number | null>();
    expectTypeOf(tickets.view).returns.toEqualTypeOf<TicketView>();
    expectTypeOf<TicketView['openedAt']>().toEqualTypeOf<number>();
  });

  it('narrows effects by type', () => {
    const describe = (effect: TicketEffect) => {
      if (effect.type === 'send_template') expectTypeOf(effect.templateId).toEqualTypeOf<string>();
      if (effect.type === 'escalate') expectTypeOf(effect.toTier).toEqualTypeOf<number>();
    };
    expectTypeOf(describe).toBeFunction();
    expectTypeOf<'requires_assignee'>().toExtend<RejectionCode>();
    // @ts-expect-error not a rejection code
    expectTypeOf<'nope'>().toExtend<RejectionCode>();
  });

  it('checks options at compile time', () => {
    const escalate: EscalateFn = () => [{ type: 'escalate', toTier: 2, reason: 'r' }];
    expectTypeOf(createTicketWorkflow({ escalation: escalate, reopenWindow: { days: 2 } })).toHaveProperty(
      'machine',
    );
    // @ts-expect-error months are not a calendar-time duration
    createTicketWorkflow({ reopenWindow: { months: 1 } });
    // @ts-expect-error an unknown rule for blocked customers
    createTicketWorkflow({ blockedCustomers: 'ignore' });
  });
});
