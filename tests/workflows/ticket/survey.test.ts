import { describe, expect, it } from 'vitest';
import { createTicketWorkflow } from '../../../src/workflows/index.js';
import {
  agentReplied,
  customerReplied,
  D,
  givenTicket,
  H,
  opened,
  T0,
  tick,
  ticketEvent,
} from '../../support/givenTicket.js';

describe('survey workflow', () => {
  const wf = createTicketWorkflow({
    survey: { delay: { days: 1 }, reminderAfter: { days: 3 }, expireAfter: { days: 7 } },
    autoCloseSolvedAfter: { days: 4 },
    npsEligible: (customerId) => customerId === 'c1',
  });
  /** The ticket `start` opened, solved by agent a1's reply an hour after T0. */
  const solved = (start = opened(), ...more: Parameters<typeof givenTicket>) =>
    givenTicket(start, agentReplied(T0 + H, { body: 'Refunded.', status: 'solved' }), ...more).on(wf);
  const answered = (survey: 'csat' | 'nps', score: number, comment?: string) =>
    ticketEvent('survey.answered', T0 + 2 * D, { survey, score, ...(comment ? { comment } : {}) });

  it('schedules a survey when solved and sends CSAT and NPS at the send time', () => {
    const given = solved();
    let { snapshot } = given;
    expect(snapshot.context.survey).toMatchObject({ status: 'scheduled', dueAt: T0 + H + D });
    expect(wf.dueAt(snapshot)).toBe(T0 + H + D);
    const sent = given.when(tick(T0 + H + D)).then({
      effects: [
        expect.objectContaining({
          type: 'request_survey',
          survey: 'csat',
          customerId: 'c1',
          reminder: false,
        }),
        expect.objectContaining({ type: 'request_survey', survey: 'nps', reminder: false }),
      ],
    });
    snapshot = sent.snapshot;
    expect(snapshot.context.survey.status).toBe('requested');
    // the reminder comes after 3 days, even though the ticket auto-closed meanwhile
    const reminded = wf.apply(snapshot, tick(T0 + H + 4 * D));
    expect(reminded.snapshot.status).toBe('closed');
    expect(reminded.effects.filter((e) => e.type === 'request_survey')).toHaveLength(2);
    expect(wf.dueAt(reminded.snapshot)).toBe(T0 + H + 8 * D);
    const expired = wf.apply(reminded.snapshot, tick(T0 + H + 8 * D));
    expect(expired.snapshot.context.survey.status).toBe('expired');
    expect(wf.dueAt(expired.snapshot)).toBeNull();
  });

  it('records an answer and opens a recovery task on a low score', () => {
    const { snapshot } = solved(opened(), tick(T0 + H + D))
      .when(answered('csat', 1, 'slow'))
      .then({
        effects: [expect.objectContaining({ type: 'notify', reason: 'low_survey_score', to: 'team_lead' })],
      });
    expect(snapshot.context.survey.status).toBe('answered');
    expect(wf.apply(snapshot, answered('nps', 10)).effects).toEqual([]);
  });

  it('cancels the schedule when the ticket is reopened before the send', () => {
    const { snapshot } = solved().when(customerReplied(T0 + 2 * H, { body: 'It did not arrive' })).result;
    expect(snapshot.context.survey.status).toBe('none');
    expect(wf.dueAt(snapshot)).toBeNull();
  });

  it('skips auto-solved, agent-created, spam and merged tickets', () => {
    const auto = givenTicket(agentReplied(T0, { body: '?', status: 'pending' }))
      .on(wf)
      .when(tick(T0 + 8 * D)).result.snapshot;
    expect(auto.context.survey).toMatchObject({ status: 'skipped', skipped: 'auto_solved' });
    expect(solved(opened({ origin: 'agent', agentId: 'a1' })).snapshot.context.survey.skipped).toBe(
      'agent_created',
    );
    const spam = solved().when(ticketEvent('ticket.marked_spam', T0 + 2 * H)).result.snapshot;
    expect(spam.context.survey).toMatchObject({ status: 'skipped', skipped: 'spam' });
  });

  it('sends only CSAT when the customer is not due for NPS', () => {
    const sent = solved(opened({ customer: { id: 'c2' } })).when(tick(T0 + H + D)).result;
    expect(sent.effects.map((e) => (e.type === 'request_survey' ? e.survey : e.type))).toEqual(['csat']);
  });

  it('sends a survey due before a later event, without a tick', () => {
    solved()
      .when(answered('csat', 5))
      .then({
        effectTypes: ['request_survey', 'request_survey'],
        context: { survey: { status: 'answered' } },
      });
  });

  it('refuses a bad survey policy with its path', () => {
    expect(() => createTicketWorkflow({ survey: { delay: { hours: -1 } } })).toThrow(/survey\.delay\.hours/);
  });
});
