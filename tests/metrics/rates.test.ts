// Examples of the rate KPIs: which tickets each one counts, which of them it hits, and its words.
import { describe, expect, it } from 'vitest';
import {
  backlog,
  CarekitError,
  categoryRate,
  complaintRate,
  escalationRate,
  FCR_DEFINITIONS,
  fcr,
  fold,
  MetricsArgumentError,
  oneTouchRate,
  rateAccumulator,
  reopenRate,
  returnRate,
  slaCompliance,
  type TicketFacts,
  ticketFacts,
  twoTouchRate,
  zeroTouchRate,
} from '../../src/index.js';
import { H, log, T0 } from './support.js';

let next = 0;
/** Facts of a fresh ticket made by ticketFacts, with the fields a case is about set over them. */
function fact(extra: Partial<TicketFacts> = {}): TicketFacts {
  const ticketId = `T-${++next}`;
  return { ...ticketFacts(log(ticketId, [])), ...extra };
}

const solvedFact = (extra: Partial<TicketFacts> = {}) =>
  fact({ status: 'solved', firstSolvedAt: T0 + H, solvedAt: T0 + H, ...extra });

function errorOf(fn: () => unknown): CarekitError & { path?: unknown } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CarekitError);
    return error as CarekitError;
  }
  throw new Error('did not throw');
}

describe('rateAccumulator', () => {
  const positive = rateAccumulator(
    (x: number) => x > 0,
    (x: number) => x !== 0,
    'positive of non-zero',
  );

  it('counts only eligible items and hits among them', () => {
    expect(fold(positive, [1, -1, 0, 0, 2, 3])).toEqual({
      value: 75,
      n: 4,
      hits: 3,
      definition: 'positive of non-zero',
    });
  });

  it('merges partial states by adding their counts', () => {
    const left = positive.add(positive.add(positive.empty(), 1), -1);
    const right = positive.add(positive.add(positive.empty(), 2), 0);
    expect(positive.merge(left, right)).toEqual({ n: 3, hits: 2 });
  });

  it('says that no item qualifies instead of dividing by zero', () => {
    expect(fold(positive, [0, 0])).toEqual({
      value: null,
      n: 0,
      hits: 0,
      definition: 'positive of non-zero',
      reason: 'no tickets qualify',
    });
  });

  it('refuses a predicate that is not a function and an empty definition', () => {
    const hit = errorOf(() => rateAccumulator(1 as never, () => true, 'd'));
    expect([hit.code, hit.path, hit.message]).toEqual([
      'invalid_argument',
      ['hit'],
      'rateAccumulator: hit must be a function, got number 1',
    ]);
    const eligible = errorOf(() => rateAccumulator(() => true, 'all' as never, 'd'));
    expect([eligible.code, eligible.path, eligible.message]).toEqual([
      'invalid_argument',
      ['eligible'],
      'rateAccumulator: eligible must be a function, got "all"',
    ]);
    const definition = errorOf(() =>
      rateAccumulator(
        () => true,
        () => true,
        '',
      ),
    );
    expect([definition.code, definition.path, definition.message]).toEqual([
      'invalid_argument',
      ['definition'],
      'rateAccumulator: definition must be a non-empty string of at most 1,000 characters, got ""',
    ]);
  });
});

describe('fcr', () => {
  const oneReply = solvedFact({ agentReplies: 1, customerReplies: 0, reopens: 0 });
  const closedOneReply = fact({ status: 'closed', firstSolvedAt: T0 + H, agentReplies: 1 });
  const twoReplies = solvedFact({ agentReplies: 2, customerReplies: 1, reopens: 0 });
  const reopened = solvedFact({ agentReplies: 1, customerReplies: 1, reopens: 1 });
  // Solved once, then reopened and open again: solved for the two FCR definitions of solved tickets.
  const openAgain = fact({ status: 'open', firstSolvedAt: T0 + H, agentReplies: 1, reopens: 2 });
  const spam = solvedFact({ agentReplies: 1, excluded: 'spam' });
  const unsolved = fact({ agentReplies: 1 });
  const facts = [oneReply, closedOneReply, twoReplies, reopened, openAgain, spam, unsolved];

  it('zendeskOneTouch, the default: solved or closed tickets with exactly one agent reply', () => {
    const text = 'FCR (Zendesk one-touch): solved or closed tickets with exactly one public agent reply';
    expect(fcr(facts)).toEqual({ value: 75, n: 4, hits: 3, definition: text });
    expect(fcr(facts, 'zendeskOneTouch')).toEqual(fcr(facts));
    expect(fcr(facts, {})).toEqual(fcr(facts));
    expect(FCR_DEFINITIONS.zendeskOneTouch.text).toBe(text);
  });

  it('noCustomerFollowUp: solved tickets with no customer message after the first', () => {
    expect(fcr(facts, 'noCustomerFollowUp')).toEqual({
      value: 60,
      n: 5,
      hits: 3,
      definition:
        'FCR (no customer follow-up, Freshservice): solved tickets with no customer message after the first',
    });
  });

  it('noReopen: solved tickets never reopened', () => {
    expect(fcr(facts, { definition: 'noReopen' })).toEqual({
      value: 60,
      n: 5,
      hits: 3,
      definition: 'FCR (no reopen): solved tickets never reopened',
    });
  });

  it('your own predicate counts solved tickets and names the result after it', () => {
    const result = fcr(facts, { name: 'no escalation', hit: (f) => f.agentReplies < 2 });
    expect(result).toEqual({ value: 80, n: 5, hits: 4, definition: 'FCR (no escalation)' });
    expect(fcr(facts, { definition: { name: 'x', hit: () => true } })).toMatchObject({ n: 5, hits: 5 });
  });

  it('an unknown name, even one every object has, is refused with the named definitions listed', () => {
    for (const name of ['oneTouch', 'toString']) {
      const error = errorOf(() => fcr(facts, name as never));
      expect(error).toBeInstanceOf(MetricsArgumentError);
      expect([error.code, error.path, error.message]).toEqual([
        'unknown_definition',
        ['definition'],
        `fcr: unknown FCR definition "${name}"; the named definitions are "zendeskOneTouch", "noCustomerFollowUp", "noReopen", or pass { name, hit } with your own predicate`,
      ]);
    }
  });

  it('a custom definition must have a name and a predicate, and nothing else', () => {
    const noName = errorOf(() => fcr(facts, { name: '', hit: () => true }));
    expect(noName.code).toBe('invalid_input');
    expect(noName.message).toMatch(
      /^Invalid fcr definition options: 1 problem\n {2}- fcr definition options: /,
    );
    const noHit = errorOf(() => fcr(facts, { name: 'x' } as never));
    expect(noHit.message).toMatch(/^Invalid fcr definition options: 1 problem\n/);
    const extra = errorOf(() => fcr(facts, { name: 'x', hit: () => true, text: 'y' } as never));
    expect(extra.message).toContain(
      'fcr definition options: unknown option "text"; the allowed options are name, hit',
    );
  });

  it('an object with a predicate is a custom definition, not an options bag', () => {
    const error = errorOf(() => fcr(facts, { hit: () => true } as never));
    expect(error.message).toMatch(
      /^Invalid fcr definition options: 1 problem\n {2}- fcr definition options: /,
    );
  });

  it('an unknown name in an options bag is refused in the words of fcr', () => {
    const error = errorOf(() => fcr(facts, { definition: 'oneTouch' } as never));
    expect([error.code, error.path, error.message]).toEqual([
      'unknown_definition',
      ['definition'],
      'fcr: unknown FCR definition "oneTouch"; the named definitions are "zendeskOneTouch", "noCustomerFollowUp", "noReopen", or pass { name, hit } with your own predicate',
    ]);
  });

  it('null is neither a name nor an options bag', () => {
    const error = errorOf(() => fcr(facts, null as never));
    expect(error.message).toBe(
      'Invalid fcr definition options: 1 problem\n  - fcr definition options: expected a plain object, got null',
    );
  });

  it('an options bag takes only a definition', () => {
    const error = errorOf(() => fcr(facts, { definiton: 'noReopen' } as never));
    expect(error.message).toBe(
      'Invalid fcr options: 1 problem\n  - fcr options: unknown option "definiton"; the allowed options are definition',
    );
  });

  it('a definition that throws when read is a bad argument at definition', () => {
    const hostile = new Proxy(
      {},
      {
        has() {
          throw new Error('no peeking');
        },
      },
    );
    const error = errorOf(() => fcr(facts, hostile as never));
    expect([error.code, error.path, error.message]).toEqual([
      'unreadable_argument',
      ['definition'],
      'fcr: definition could not be read (no peeking); pass plain data',
    ]);
  });

  it('refuses facts not made by ticketFacts', () => {
    expect(errorOf(() => fcr({} as never)).message).toMatch(/^fcr: expected an array of ticket facts/);
  });
});

describe('touch rates', () => {
  const facts = [
    solvedFact({ agentReplies: 0 }),
    solvedFact({ agentReplies: 1 }),
    fact({ status: 'closed', agentReplies: 1 }),
    solvedFact({ agentReplies: 2 }),
    solvedFact({ agentReplies: 3 }),
    // Not counted: open (though solved before), and spam.
    fact({ status: 'open', firstSolvedAt: T0 + H, agentReplies: 1 }),
    solvedFact({ agentReplies: 1, excluded: 'spam' }),
    solvedFact({ agentReplies: 1, excluded: 'merged' }),
  ];

  it('zero-touch: solved or closed tickets with no public agent reply', () => {
    expect(zeroTouchRate(facts)).toEqual({
      value: 20,
      n: 5,
      hits: 1,
      definition:
        'zero-touch rate: solved or closed tickets with no public agent reply (self-service, or solved without a word)',
    });
  });

  it('one-touch: solved or closed tickets with exactly one public agent reply', () => {
    expect(oneTouchRate(facts)).toEqual({
      value: 40,
      n: 5,
      hits: 2,
      definition: 'one-touch rate (Zendesk): solved or closed tickets with exactly one public agent reply',
    });
  });

  it('two-touch: solved or closed tickets with exactly two public agent replies', () => {
    expect(twoTouchRate(facts)).toEqual({
      value: 20,
      n: 5,
      hits: 1,
      definition: 'two-touch rate (Zendesk): solved or closed tickets with exactly two public agent replies',
    });
  });

  it('each names itself when facts are not ticket facts', () => {
    expect(errorOf(() => zeroTouchRate(null as never)).message).toMatch(/^zeroTouchRate: /);
    expect(errorOf(() => oneTouchRate(null as never)).message).toMatch(/^oneTouchRate: /);
    expect(errorOf(() => twoTouchRate(null as never)).message).toMatch(/^twoTouchRate: /);
  });
});

describe('reopenRate', () => {
  it('of solved tickets, the share reopened at least once', () => {
    const facts = [
      solvedFact({ reopens: 0 }),
      solvedFact({ reopens: 1 }),
      fact({ status: 'open', firstSolvedAt: T0 + H, reopens: 2 }),
      solvedFact({ reopens: 1 }),
      fact({ reopens: 0 }), // never solved
      solvedFact({ reopens: 1, excluded: 'spam' }),
    ];
    expect(reopenRate(facts)).toEqual({
      value: 75,
      n: 4,
      hits: 3,
      definition: 'reopen rate: solved tickets reopened at least once',
    });
    expect(errorOf(() => reopenRate('x' as never)).message).toMatch(/^reopenRate: /);
  });
});

describe('escalationRate', () => {
  it('of all counted tickets, the share escalated at least once', () => {
    const facts = [
      fact({ escalations: 0 }),
      fact({ escalations: 1 }),
      solvedFact({ escalations: 3 }),
      fact({ escalations: 0 }),
      fact({ escalations: 1, excluded: 'merged' }),
    ];
    expect(escalationRate(facts)).toEqual({
      value: 50,
      n: 4,
      hits: 2,
      definition: 'escalation rate: tickets escalated at least once',
    });
    expect(errorOf(() => escalationRate('x' as never)).message).toMatch(/^escalationRate: /);
  });
});

describe('slaCompliance', () => {
  const definition =
    'SLA compliance (firstReply): targets met of firstReply clocks that finished or breached; a merged ticket counts only a breach';

  it('of the clocks that finished, the share met; open clocks and other clocks do not count', () => {
    const facts = [
      fact({ sla: { firstReply: 'met' } }),
      fact({ sla: { firstReply: 'met', resolution: 'breached' } }),
      fact({ sla: { firstReply: 'breached' } }),
      fact({ sla: { firstReply: 'open' } }),
      fact({ sla: { resolution: 'met' } }),
      fact({ sla: null }),
      fact({ sla: { firstReply: 'met' }, excluded: 'spam' }),
      fact({ sla: { firstReply: 'breached' }, excluded: 'spam' }),
    ];
    expect(slaCompliance(facts, 'firstReply')).toEqual({ value: 200 / 3, n: 3, hits: 2, definition });
  });

  it('a merged ticket counts only a breach before the merge', () => {
    const facts = [
      fact({ sla: { firstReply: 'met' } }),
      fact({ sla: { firstReply: 'met' }, excluded: 'merged' }),
      fact({ sla: { firstReply: 'open' }, excluded: 'merged' }),
      fact({ sla: null, excluded: 'merged' }),
      fact({ sla: { firstReply: 'breached' }, excluded: 'merged' }),
    ];
    expect(slaCompliance(facts, 'firstReply')).toEqual({ value: 50, n: 2, hits: 1, definition });
  });

  it('no finished clock is no value, with the reason', () => {
    expect(slaCompliance([fact({ sla: null })], 'firstReply')).toMatchObject({
      value: null,
      n: 0,
      reason: 'no tickets qualify',
    });
  });

  it('refuses a clock that is not a name', () => {
    const error = errorOf(() => slaCompliance([], ''));
    expect([error.code, error.path, error.message]).toEqual([
      'invalid_argument',
      ['clock'],
      'slaCompliance: clock must be a non-empty string of at most 1,000 characters, got ""',
    ]);
    expect(errorOf(() => slaCompliance(1 as never, 'firstReply')).message).toMatch(/^slaCompliance: /);
  });
});

describe('categoryRate, complaintRate, returnRate', () => {
  const facts = [
    fact({ category: 'complaint' }),
    fact({ category: 'return' }),
    fact({ category: 'return' }),
    fact({ category: 'exchange' }),
    fact({ category: null }),
    fact({ category: 'complaint', excluded: 'spam' }),
  ];

  it('the share of counted tickets in the category', () => {
    expect(categoryRate(facts, 'exchange')).toEqual({
      value: 20,
      n: 5,
      hits: 1,
      definition: 'exchange rate: tickets in category exchange',
    });
  });

  it('complaint rate: category complaint, or the one named', () => {
    expect(complaintRate(facts)).toEqual({
      value: 20,
      n: 5,
      hits: 1,
      definition: 'complaint rate: tickets in category complaint, of all tickets',
    });
    expect(complaintRate(facts, 'return')).toEqual({
      value: 40,
      n: 5,
      hits: 2,
      definition: 'complaint rate: tickets in category return, of all tickets',
    });
  });

  it('return contact rate: category return, or the one named', () => {
    expect(returnRate(facts)).toEqual({
      value: 40,
      n: 5,
      hits: 2,
      definition: 'return contact rate: tickets in category return, of all tickets',
    });
    expect(returnRate(facts, 'exchange').definition).toBe(
      'return contact rate: tickets in category exchange, of all tickets',
    );
  });

  it('refuses a category that is not a name', () => {
    const error = errorOf(() => categoryRate(facts, 7 as never));
    expect([error.code, error.path, error.message]).toEqual([
      'invalid_argument',
      ['category'],
      'categoryRate: category must be a non-empty string of at most 1,000 characters, got number 7',
    ]);
    expect(errorOf(() => categoryRate(7 as never, 'x')).message).toMatch(/^categoryRate: /);
  });
});

describe('backlog', () => {
  const definition = 'backlog: tickets created and not yet solved or closed at the instant';
  const at = T0 + 10 * H;

  it('counts tickets created by the instant and neither solved nor closed by then', () => {
    const facts = [
      fact({ createdAt: at }), // created at the instant: in the backlog
      fact({ createdAt: at + 1 }), // created after
      fact({ solvedAt: at, closedAt: null }), // solved at the instant: done
      fact({ solvedAt: at + 1, closedAt: null }), // solved after: open then
      fact({ solvedAt: null, closedAt: at }), // closed at the instant: done
      fact({ solvedAt: null, closedAt: at + 1 }), // closed after: open then
      fact({ solvedAt: at + 1, closedAt: at + 2 }),
      fact({ excluded: 'spam' }),
    ];
    expect(backlog(facts, at)).toEqual({ value: 4, n: 8, definition });
  });

  it('refuses an instant that is not a finite number', () => {
    const error = errorOf(() => backlog([], Number.NaN));
    expect([error.code, error.path, error.message]).toEqual([
      'invalid_argument',
      ['at'],
      'backlog: at must be an instant in epoch ms, got number NaN',
    ]);
    expect(errorOf(() => backlog('x' as never, at)).message).toMatch(/^backlog: /);
  });
});
