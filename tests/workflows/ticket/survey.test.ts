import type { TicketEventInput, TicketEventInputOf } from 'carekit';
import { describe, expect, it } from 'vitest';
import { createTicketWorkflow, type TicketSnapshot } from '../../../src/workflows/index.js';

const T0 = Date.UTC(2025, 2, 10, 9, 0);
const H = 3_600_000;
const D = 24 * H;

const opened = (extra: Record<string, unknown> = {}) =>
  ({
    type: 'ticket.opened',
    id: 'e1',
    ticketId: 'T-1',
    at: T0,
    channel: 'email',
    subject: 'Refund?',
    body: 'Please refund my order.',
    customer: { id: 'c1' },
    ...extra,
  }) as TicketEventInputOf<'ticket.opened'>;

let n = 1;
const ev = (type: string, at: number, extra: Record<string, unknown> = {}) =>
  ({
    type,
    id: `s${n++}`,
    ticketId: 'T-1',
    at,
    ...extra,
  }) as TicketEventInput;

function solve(wf: ReturnType<typeof createTicketWorkflow>, start = opened()) {
  const { snapshot } = wf.start(start);
  return wf.apply(
    snapshot,
    ev('agent.replied', T0 + H, { agentId: 'a1', body: 'Refunded.', status: 'solved' }),
  ).snapshot;
}

describe('survey workflow', () => {
  const wf = createTicketWorkflow({
    survey: { delay: { days: 1 }, reminderAfter: { days: 3 }, expireAfter: { days: 7 } },
    autoCloseSolvedAfter: { days: 4 },
    npsEligible: (customerId) => customerId === 'c1',
  });

  it('schedules a survey when solved and sends CSAT and NPS at the send time', () => {
    let snapshot = solve(wf);
    expect(snapshot.context.survey).toMatchObject({ status: 'scheduled', dueAt: T0 + H + D });
    expect(wf.dueAt(snapshot)).toBe(T0 + H + D);
    const sent = wf.apply(snapshot, ev('clock.tick', T0 + H + D));
    expect(sent.effects).toEqual([
      expect.objectContaining({ type: 'request_survey', survey: 'csat', customerId: 'c1', reminder: false }),
      expect.objectContaining({ type: 'request_survey', survey: 'nps', reminder: false }),
    ]);
    snapshot = sent.snapshot;
    expect(snapshot.context.survey.status).toBe('requested');
    // the reminder comes after 3 days, even though the ticket auto-closed meanwhile
    const reminded = wf.apply(snapshot, ev('clock.tick', T0 + H + 4 * D));
    expect(reminded.snapshot.status).toBe('closed');
    expect(reminded.effects.filter((e) => e.type === 'request_survey')).toHaveLength(2);
    expect(wf.dueAt(reminded.snapshot)).toBe(T0 + H + 8 * D);
    const expired = wf.apply(reminded.snapshot, ev('clock.tick', T0 + H + 8 * D));
    expect(expired.snapshot.context.survey.status).toBe('expired');
    expect(wf.dueAt(expired.snapshot)).toBeNull();
  });

  it('records an answer and opens a recovery task on a low score', () => {
    let snapshot: TicketSnapshot = wf.apply(solve(wf), ev('clock.tick', T0 + H + D)).snapshot;
    const answered = wf.apply(
      snapshot,
      ev('survey.answered', T0 + 2 * D, { survey: 'csat', score: 1, comment: 'slow' }),
    );
    snapshot = answered.snapshot;
    expect(snapshot.context.survey.status).toBe('answered');
    expect(answered.effects).toEqual([
      expect.objectContaining({ type: 'notify', reason: 'low_survey_score', to: 'team_lead' }),
    ]);
    expect(
      wf.apply(snapshot, ev('survey.answered', T0 + 2 * D, { survey: 'nps', score: 10 })).effects,
    ).toEqual([]);
  });

  it('cancels the schedule when the ticket is reopened before the send', () => {
    const snapshot = wf.apply(
      solve(wf),
      ev('customer.replied', T0 + 2 * H, { body: 'It did not arrive' }),
    ).snapshot;
    expect(snapshot.context.survey.status).toBe('none');
    expect(wf.dueAt(snapshot)).toBeNull();
  });

  it('skips auto-solved, agent-created, spam and merged tickets', () => {
    const pending = wf.apply(
      wf.start(opened()).snapshot,
      ev('agent.replied', T0, { agentId: 'a1', body: '?', status: 'pending' }),
    ).snapshot;
    const auto = wf.apply(pending, ev('clock.tick', T0 + 8 * D)).snapshot;
    expect(auto.context.survey).toMatchObject({ status: 'skipped', skipped: 'auto_solved' });
    expect(solve(wf, opened({ origin: 'agent', agentId: 'a1' })).context.survey.skipped).toBe(
      'agent_created',
    );
    const spam = wf.apply(solve(wf), ev('ticket.marked_spam', T0 + 2 * H)).snapshot;
    expect(spam.context.survey).toMatchObject({ status: 'skipped', skipped: 'spam' });
  });

  it('sends only CSAT when the customer is not due for NPS', () => {
    const sent = wf.apply(solve(wf, opened({ customer: { id: 'c2' } })), ev('clock.tick', T0 + H + D));
    expect(sent.effects.map((e) => (e.type === 'request_survey' ? e.survey : e.type))).toEqual(['csat']);
  });

  it('sends a survey due before a later event, without a tick', () => {
    const later = wf.apply(solve(wf), ev('survey.answered', T0 + 2 * D, { survey: 'csat', score: 5 }));
    expect(later.effects.map((e) => e.type)).toEqual(['request_survey', 'request_survey']);
    expect(later.snapshot.context.survey.status).toBe('answered');
  });

  it('refuses a bad survey policy with its path', () => {
    expect(() => createTicketWorkflow({ survey: { delay: { hours: -1 } } })).toThrow(/survey\.delay\.hours/);
  });
});
