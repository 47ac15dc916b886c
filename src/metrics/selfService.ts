import { type Accumulator, fold } from './accumulator.js';
import { checkFact, checkFacts } from './guards.js';
import { type RateResult, type RateState, rateAccumulator } from './rates.js';
import { type CountState, type CsatResult, csatAccumulator } from './surveys.js';
import type { TicketFacts } from './ticketFacts.js';

const counted = (f: TicketFacts) => f.excluded === null;
// A bot answering a customer's question; outbound notices sent as a bot are not self-service.
const botAnswered = (f: TicketFacts) => counted(f) && f.origin === 'customer' && (f.botReplies ?? 0) > 0;

/**
 * Solved by self-service: a bot answered a customer's ticket, no person replied or took it, it
 * was solved and never reopened.
 *
 * @example
 * ```ts
 * deflected({ ...facts, botReplies: 1, agentReplies: 0, botHandover: false, reopens: 0, firstSolvedAt: facts.createdAt + 60_000 });
 * //=> true
 * ```
 */
export function deflected(f: TicketFacts): boolean {
  checkFact(f, 'deflected');
  return (
    botAnswered(f) &&
    f.agentReplies === 0 &&
    f.botHandover !== true &&
    f.reopens === 0 &&
    f.firstSolvedAt !== null
  );
}

const DEFLECTION =
  'deflection rate: customer tickets solved by self-service (a bot answer, no person, no reopen)';
const HANDOVER = 'bot handover rate: tickets a bot answered that a person then took over';
const BOT_RESOLUTION =
  'bot resolution rate: tickets a bot answered that it solved with no person and no reopen';

/** The self-service KPIs: deflection, handover, the bot's resolution rate and CSAT by who solved. */
export interface SelfServiceReport {
  /** Of every customer ticket, the share solved by self-service. */
  readonly deflectionRate: RateResult;
  /** Of the tickets a bot answered, the share a person took over. */
  readonly botHandoverRate: RateResult;
  /** Of the tickets a bot answered, the share it solved by itself. */
  readonly botResolutionRate: RateResult;
  /** CSAT of the tickets solved by self-service. */
  readonly csatBot: CsatResult;
  /** CSAT of the tickets a person answered. */
  readonly csatHuman: CsatResult;
}

/** The plain-JSON partial state of {@link selfServiceAccumulator}. */
export interface SelfServiceState {
  readonly deflection: RateState;
  readonly handover: RateState;
  readonly resolution: RateState;
  readonly csatBot: CountState;
  readonly csatHuman: CountState;
}

/**
 * The self-service KPIs as one mergeable accumulator over ticket facts. CSAT answers are split
 * by who solved the ticket: self-service ({@link deflected}) or a person (a public reply by an
 * agent); answers on tickets neither describes (solved with no reply at all) count in neither.
 *
 * @example
 * ```ts
 * const acc = selfServiceAccumulator();
 * acc.result(acc.merge(foldState(acc, monday), foldState(acc, tuesday))).deflectionRate.value;
 * //=> 31.5
 * ```
 */
export function selfServiceAccumulator(): Accumulator<TicketFacts, SelfServiceState, SelfServiceReport> {
  const deflection = rateAccumulator(
    deflected,
    (f: TicketFacts) => counted(f) && f.origin === 'customer',
    DEFLECTION,
  );
  const handover = rateAccumulator((f: TicketFacts) => f.botHandover === true, botAnswered, HANDOVER);
  const resolution = rateAccumulator(deflected, botAnswered, BOT_RESOLUTION);
  const csat = csatAccumulator();
  const addCsat = (state: CountState, f: TicketFacts) => {
    let s = state;
    for (const answer of f.surveys) if (answer.survey === 'csat') s = csat.add(s, answer);
    return s;
  };
  const named = (result: CsatResult, who: string): CsatResult => ({
    ...result,
    definition: `${result.definition}, on tickets solved by ${who}`,
  });
  return {
    empty: () => ({
      deflection: deflection.empty(),
      handover: handover.empty(),
      resolution: resolution.empty(),
      csatBot: csat.empty(),
      csatHuman: csat.empty(),
    }),
    add: (s, f) => {
      checkFact(f, 'selfServiceAccumulator.add');
      return addSelfService(s, f);
    },
    merge: (a, b) => ({
      deflection: deflection.merge(a.deflection, b.deflection),
      handover: handover.merge(a.handover, b.handover),
      resolution: resolution.merge(a.resolution, b.resolution),
      csatBot: csat.merge(a.csatBot, b.csatBot),
      csatHuman: csat.merge(a.csatHuman, b.csatHuman),
    }),
    result: (s) => ({
      deflectionRate: deflection.result(s.deflection),
      botHandoverRate: handover.result(s.handover),
      botResolutionRate: resolution.result(s.resolution),
      csatBot: named(csat.result(s.csatBot), 'self-service'),
      csatHuman: named(csat.result(s.csatHuman), 'a person'),
    }),
  };
  function addSelfService(s: SelfServiceState, f: TicketFacts): SelfServiceState {
    return {
      deflection: deflection.add(s.deflection, f),
      handover: handover.add(s.handover, f),
      resolution: resolution.add(s.resolution, f),
      csatBot: counted(f) && deflected(f) ? addCsat(s.csatBot, f) : s.csatBot,
      csatHuman: counted(f) && !deflected(f) && f.agentReplies > 0 ? addCsat(s.csatHuman, f) : s.csatHuman,
    };
  }
}

/**
 * The self-service KPIs of a set of ticket facts: deflection rate, bot handover rate, the bot's
 * resolution rate, and CSAT split by bot and human.
 *
 * @example
 * ```ts
 * const report = selfServiceReport(facts);
 * [report.deflectionRate.value, report.botHandoverRate.value, report.csatBot.value];
 * //=> [25, 40, 90]
 * ```
 */
export function selfServiceReport(facts: readonly TicketFacts[]): SelfServiceReport {
  checkFacts(facts, 'selfServiceReport');
  return fold(selfServiceAccumulator(), facts);
}
