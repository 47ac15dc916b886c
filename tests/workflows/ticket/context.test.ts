import { describe, expect, it } from 'vitest';
import { createTicketWorkflow } from '../../../src/workflows/index.js';
import { cloneContext, type TicketContext } from '../../../src/workflows/ticket/context.js';
import { agentReplied, assigned, H, opened, T0 } from '../../support/givenTicket.js';

const tickets = createTicketWorkflow();

/** A context that went through a few events, with every part the clone copies holding something. */
function busyContext(): TicketContext {
  let { snapshot } = tickets.start(opened({ tags: ['vip'] }));
  snapshot = tickets.apply(snapshot, assigned(T0 + H)).snapshot;
  snapshot = tickets.apply(snapshot, agentReplied(T0 + 2 * H)).snapshot;
  const ctx = snapshot.context;
  return {
    ...ctx,
    mergedFrom: ['T-9'],
    splitInto: ['T-8'],
    children: { 'T-7': 'open' },
    slaAlerts: { 'firstReply:warning': 5 },
    fields: { plan: 'pro' },
    automations: { remind: 7 },
    sides: {
      s1: {
        subject: 'Carrier',
        participants: ['x@example.com'],
        status: 'waiting',
        openedAt: 1,
        targetMs: null,
        dueAt: 2,
        breaches: [3],
        messages: 1,
        lastMessageAt: 1,
      },
    },
  };
}

describe('cloneContext', () => {
  it('copies every field, in the order the context has them, through several generations', () => {
    const ctx = busyContext();
    let copy = cloneContext(ctx);
    for (let i = 0; i < 5; i++) copy = cloneContext(copy);
    expect(copy).toEqual(ctx);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(ctx));
  });

  it('copies what the rules mutate: changing the copy leaves the original as it was', () => {
    const ctx = busyContext();
    const before = JSON.stringify(ctx);
    const copy = cloneContext(ctx);
    copy.tags.push('x');
    copy.counters.agentReplies++;
    copy.surveys.push({ survey: 'csat', score: 5, at: 1 });
    copy.slaAlerts['resolution:breach'] = 9;
    copy.eventIds.push('e-new');
    copy.fields.plan = 'free';
    copy.automations.remind = 'fired';
    copy.mergedFrom.push('T-1');
    copy.splitInto.push('T-2');
    copy.children['T-7'] = 'done';
    copy.sides.s1!.participants.push('y@example.com');
    copy.sides.s1!.breaches.push(4);
    copy.sides.s1!.status = 'closed';
    copy.sides.s2 = { ...copy.sides.s1! };
    expect(JSON.stringify(ctx)).toBe(before);
  });

  it('reads a snapshot stored before relations, fields and rules as holding none', () => {
    const {
      mergedFrom: _m,
      splitFrom: _s,
      splitInto: _i,
      parentId: _p,
      children: _c,
      sides: _d,
      fields: _f,
      customStatus: _u,
      automations: _a,
      ...old
    } = busyContext();
    const copy = cloneContext(old as TicketContext);
    expect(copy).toMatchObject({
      mergedFrom: [],
      splitFrom: null,
      splitInto: [],
      parentId: null,
      children: {},
      sides: {},
      fields: {},
      customStatus: null,
      automations: {},
    });
  });

  it('keeps keys the type does not declare (a migrated snapshot’s own), as a spread did', () => {
    const ctx = { ...busyContext(), legacyScore: 3 } as TicketContext & { legacyScore: number };
    const copy = cloneContext(ctx) as TicketContext & { legacyScore?: number };
    expect(copy.legacyScore).toBe(3);
    expect(cloneContext(copy)).toEqual(ctx);
  });
});
