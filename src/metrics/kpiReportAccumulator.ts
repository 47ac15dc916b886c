import { chatAbandonmentAccumulator } from './abandonment.js';
import type { Accumulator } from './accumulator.js';
import { type CustomerKpis, customerKpisAccumulator, parseCallbackOptions } from './customers.js';
import {
  DURATIONS,
  type DurationResult,
  type DurationState,
  durationAccumulator,
  nextReplyText,
  STATUS_TIMES,
  statusTimePick,
} from './durations.js';
import { checkFact } from './guards.js';
import { type KpiReportOptions, parseReportOptions } from './kpiReportOptions.js';
import {
  type RateResult,
  rateAccumulator,
  resolveFcrDefinition,
  slaCounted,
  slaDefinition,
  touchAccumulator,
} from './rates.js';
import { type RelationsReport, relationsAccumulator } from './relations.js';
import { deflected, type SelfServiceReport, selfServiceAccumulator } from './selfService.js';
import {
  type CesResult,
  type CsatResult,
  cesAccumulator,
  csatAccumulator,
  type NpsResult,
  npsAccumulator,
} from './surveys.js';
import type { TicketFacts } from './ticketFacts.js';
import { agentUtilisationAccumulator, type UtilisationResult } from './utilisation.js';
import { type VolumeResult, volumeCounter, volumeDefinition } from './volume.js';

// biome-ignore lint/suspicious/noExplicitAny: a record of accumulators of different states
type AnyAccumulator = Accumulator<any, any, any>;

/** The dashboard of a support operation. */
export interface KpiReport {
  readonly tickets: number;
  readonly csat: CsatResult;
  readonly nps: NpsResult;
  readonly ces: CesResult;
  readonly firstReplyTime: DurationResult;
  readonly nextReplyTime: DurationResult;
  /** Zendesk's first resolution time: creation to the first solve. */
  readonly firstResolutionTime: DurationResult;
  /** Zendesk's full resolution time: creation to the latest solve. */
  readonly resolutionTime: DurationResult;
  readonly handleTime: DurationResult;
  /** Zendesk's requester wait time: new, open and on-hold (changed: it was time in pending). */
  readonly requesterWaitTime: DurationResult;
  /** Zendesk's agent wait time: pending. */
  readonly agentWaitTime: DurationResult;
  /** Zendesk's on-hold time. */
  readonly onHoldTime: DurationResult;
  /** Zendesk's agent work time: new and open. */
  readonly agentWorkTime: DurationResult;
  readonly fcr: RateResult;
  /** Of solved or closed tickets, the share with no public agent reply. */
  readonly zeroTouchRate: RateResult;
  /** Zendesk's one-touch: of solved or closed tickets, the share with exactly one agent reply. */
  readonly oneTouchRate: RateResult;
  /** Zendesk's two-touch: exactly two agent replies. */
  readonly twoTouchRate: RateResult;
  readonly reopenRate: RateResult;
  readonly escalationRate: RateResult;
  readonly callbackRate: RateResult;
  readonly returningCustomerRate: RateResult;
  /** Of customers' chats that got a reply or ended, the share that ended before a person's first reply. */
  readonly chatAbandonmentRate: RateResult;
  /** Handled time over staffed time, per agent and for the team (with `utilisation` options only). */
  readonly agentUtilisation?: UtilisationResult;
  readonly slaCompliance: Readonly<Record<string, RateResult>>;
  readonly volume: VolumeResult;
  /** Deflection, bot handover, the bot's resolution rate and CSAT by bot and human. */
  readonly selfService: SelfServiceReport;
  /**
   * Merges (each counted once, on the source), splits, parents with their children (child
   * tickets grouped under their parents) and side conversations, over every ticket reported on,
   * merged and spam ones included (docs/relations.md).
   */
  readonly relations: RelationsReport;
}

/** The plain-JSON partial state of {@link kpiReportAccumulator}. */
export interface KpiReportState {
  readonly tickets: number;
  readonly parts: Readonly<Record<string, unknown>>;
  readonly volume: {
    readonly n: number;
    readonly buckets: Readonly<Record<string, Readonly<Record<string, number>>>>;
    /** The zones the buckets were made in (absent in states made before zones were recorded). */
    readonly zones?: readonly string[];
  };
}

/**
 * Whom a ticket's survey answers count for: left out (spam, merged), self-service (a bot solved
 * it, see `deflected`), a person (an agent replied publicly), or neither (solved without a reply).
 */
export type SurveyAudience = 'excluded' | 'self-service' | 'person' | 'neither';

/**
 * Whom this ticket's survey answers count for (what a stream keeps of a finished ticket so a late
 * answer lands where it would have landed in the ticket's facts).
 *
 * @example
 * ```ts
 * surveyAudience(facts);
 * //=> 'person'
 * ```
 */
export function surveyAudience(f: TicketFacts): SurveyAudience {
  checkFact(f, 'surveyAudience');
  if (f.excluded !== null) return 'excluded';
  if (deflected(f)) return 'self-service';
  return f.agentReplies > 0 ? 'person' : 'neither';
}

/** The report accumulator, with the two operations a stream needs besides `add`. */
export interface KpiReportAccumulator extends Accumulator<TicketFacts, KpiReportState, KpiReport> {
  /**
   * Adds survey answers that arrived after a ticket's facts were added, exactly as if they had
   * been among the facts' `surveys` (facts are mergeable: the answers are the missing part).
   */
  addAnswers(
    state: KpiReportState,
    audience: SurveyAudience,
    answers: TicketFacts['surveys'],
  ): KpiReportState;
  /**
   * Declares that no ticket created before `before` will be added any more; the callback
   * summary forgets the contacts that can no longer change (see `callbackAccumulator`).
   */
  settle(state: KpiReportState, before: number): KpiReportState;
}

/**
 * The whole KPI report as one mergeable accumulator, so a report can be computed in bounded
 * memory from a stream of ticket facts (the `carekit report` command does), or per partition and
 * merged. `kpiReport` is this accumulator folded over an array, so the two always agree.
 *
 * @example
 * ```ts
 * const acc = kpiReportAccumulator({ business: true });
 * const monday = foldState(acc, mondayFacts);
 * const tuesday = foldState(acc, tuesdayFacts);
 * acc.result(acc.merge(monday, tuesday)).fcr.value;
 * //=> 72.5
 * ```
 */
export function kpiReportAccumulator(options: KpiReportOptions = {}): KpiReportAccumulator {
  const o = parseReportOptions(options, 'kpiReportAccumulator');
  const business = o.business ?? false;
  const counted = (f: TicketFacts) => f.excluded === null;
  const solved = (f: TicketFacts) => counted(f) && f.firstSolvedAt !== null;
  const fcrDefinition = resolveFcrDefinition(o.fcr, 'kpiReport');
  const clocks = o.slaClocks ?? ['firstReply', 'nextReply', 'resolution'];
  const volumeOptions = o.volume ?? { bucket: 'day', groupBy: 'channel' };
  const countVolume = volumeCounter(volumeOptions);
  const duration = (d: { pick: (f: TicketFacts) => number | null; text: string }) =>
    durationAccumulator(d.pick, d.text);
  const status = (kind: keyof typeof STATUS_TIMES) =>
    durationAccumulator(
      statusTimePick(kind, business),
      `${STATUS_TIMES[kind].text}, ${business ? 'business' : 'calendar'} hours`,
    );
  // Callbacks and returning customers from one summary per customer (one lookup per ticket). Its
  // part is keyed `callback` (the stream counts the customers held from `parts.callback`).
  const customers = customerKpisAccumulator(parseCallbackOptions(o.callback, 'kpiReport'), {
    callbacks: true,
    returning: true,
  });

  // Each part by name, so `add` calls each from its own site (monomorphic, inlinable) instead of
  // one megamorphic loop over a record of accumulators.
  const firstReply = duration(DURATIONS.firstReply(business));
  const firstResolution = duration(DURATIONS.firstResolution(business));
  const resolution = duration(DURATIONS.fullResolution(business));
  const handle = duration(DURATIONS.handle());
  const requesterWait = status('requesterWait');
  const agentWait = status('agentWait');
  const onHold = status('onHold');
  const agentWork = status('agentWork');
  const fcr = rateAccumulator(fcrDefinition.hit, fcrDefinition.eligible, fcrDefinition.text);
  const zeroTouch = touchAccumulator(0);
  const oneTouch = touchAccumulator(1);
  const twoTouch = touchAccumulator(2);
  const reopen = rateAccumulator(
    (f: TicketFacts) => f.reopens > 0,
    solved,
    'reopen rate: solved tickets reopened at least once',
  );
  const escalation = rateAccumulator(
    (f: TicketFacts) => f.escalations > 0,
    counted,
    'escalation rate: tickets escalated at least once',
  );
  const chatAbandonment = chatAbandonmentAccumulator();
  const utilisation = o.utilisation === undefined ? undefined : agentUtilisationAccumulator(o.utilisation);
  const selfService = selfServiceAccumulator();
  const slaKeys = clocks.map((clock) => `sla:${clock}`);
  const sla = clocks.map((clock) =>
    rateAccumulator(
      (f: TicketFacts) => f.sla?.[clock] === 'met',
      (f: TicketFacts) => slaCounted(f, clock),
      slaDefinition(clock),
    ),
  );
  type S<A extends AnyAccumulator> = ReturnType<A['empty']>;
  /** The parts of the state `add` updates by name. */
  type Parts = Record<string, unknown> & {
    firstReply: S<typeof firstReply>;
    firstResolution: S<typeof firstResolution>;
    resolution: S<typeof resolution>;
    handle: S<typeof handle>;
    requesterWait: S<typeof requesterWait>;
    agentWait: S<typeof agentWait>;
    onHold: S<typeof onHold>;
    agentWork: S<typeof agentWork>;
    fcr: S<typeof fcr>;
    zeroTouch: S<typeof zeroTouch>;
    oneTouch: S<typeof oneTouch>;
    twoTouch: S<typeof twoTouch>;
    reopen: S<typeof reopen>;
    escalation: S<typeof escalation>;
    callback: S<typeof customers>;
    chatAbandonment: S<typeof chatAbandonment>;
    selfService: S<typeof selfService>;
  };
  const perTicket: Record<string, AnyAccumulator> = {
    firstReply,
    firstResolution,
    resolution,
    handle,
    requesterWait,
    agentWait,
    onHold,
    agentWork,
    fcr,
    zeroTouch,
    oneTouch,
    twoTouch,
    reopen,
    escalation,
    callback: customers,
    chatAbandonment,
    ...(utilisation === undefined ? {} : { utilisation }),
    selfService,
    ...Object.fromEntries(slaKeys.map((key, i) => [key, sla[i] as AnyAccumulator])),
  };
  const surveys: Record<string, AnyAccumulator> = {
    csat: csatAccumulator(),
    nps: npsAccumulator(),
    ces: cesAccumulator(),
  };
  const nextReply = durationAccumulator((ms: number) => ms, nextReplyText(business));
  const relations = relationsAccumulator();
  const parts: Record<string, AnyAccumulator> = { ...perTicket, ...surveys, nextReply, relations };
  const keys = Object.keys(parts);
  const csatOnly = csatAccumulator();

  const addAnswers = (s: Record<string, unknown>, answers: TicketFacts['surveys']) => {
    for (const answer of answers)
      s[answer.survey] = (surveys[answer.survey] as AnyAccumulator).add(s[answer.survey], answer);
  };

  return {
    empty: () => ({
      tickets: 0,
      parts: Object.fromEntries(keys.map((k) => [k, (parts[k] as AnyAccumulator).empty()])),
      volume: { n: 0, buckets: {}, zones: [] },
    }),
    add(state, f) {
      checkFact(f, 'kpiReportAccumulator.add');
      const s = state.parts as Parts;
      s.firstReply = firstReply.add(s.firstReply, f);
      s.firstResolution = firstResolution.add(s.firstResolution, f);
      s.resolution = resolution.add(s.resolution, f);
      s.handle = handle.add(s.handle, f);
      s.requesterWait = requesterWait.add(s.requesterWait, f);
      s.agentWait = agentWait.add(s.agentWait, f);
      s.onHold = onHold.add(s.onHold, f);
      s.agentWork = agentWork.add(s.agentWork, f);
      s.fcr = fcr.add(s.fcr, f);
      s.zeroTouch = zeroTouch.add(s.zeroTouch, f);
      s.oneTouch = oneTouch.add(s.oneTouch, f);
      s.twoTouch = twoTouch.add(s.twoTouch, f);
      s.reopen = reopen.add(s.reopen, f);
      s.escalation = escalation.add(s.escalation, f);
      s.callback = customers.add(s.callback, f);
      s.chatAbandonment = chatAbandonment.add(s.chatAbandonment, f);
      if (utilisation !== undefined) s.utilisation = utilisation.add(s.utilisation as never, f);
      s.selfService = selfService.add(s.selfService, f);
      for (let i = 0; i < sla.length; i++) {
        const key = slaKeys[i] as string;
        s[key] = (sla[i] as AnyAccumulator).add(s[key], f);
      }
      if (f.relations) s.relations = relations.add(s.relations as never, f.relations);
      if (!counted(f)) return state;
      for (const ms of business ? (f.business?.nextReplyWaitsMs ?? []) : f.nextReplyWaitsMs)
        s.nextReply = nextReply.add(s.nextReply as DurationState, ms);
      addAnswers(s, f.surveys);
      // In place, as every part: a fold owns its state (see Accumulator).
      const zone = countVolume(state.volume.buckets as Record<string, Record<string, number>>, f);
      const volume = state.volume as unknown as { n: number; zones?: string[] };
      volume.n++;
      const zones = volume.zones;
      if (zones === undefined) volume.zones = [zone];
      else if (!zones.includes(zone)) zones.push(zone);
      (state as { tickets: number }).tickets++;
      return state;
    },
    merge(a, b) {
      const buckets: Record<string, Record<string, number>> = {};
      for (const side of [a.volume.buckets, b.volume.buckets]) {
        for (const [key, groups] of Object.entries(side)) {
          const row = { ...(buckets[key] ?? {}) };
          buckets[key] = row;
          for (const [group, n] of Object.entries(groups)) row[group] = (row[group] ?? 0) + n;
        }
      }
      const pa = a.parts as Record<string, unknown>;
      const pb = b.parts as Record<string, unknown>;
      return {
        tickets: a.tickets + b.tickets,
        parts: Object.fromEntries(keys.map((k) => [k, (parts[k] as AnyAccumulator).merge(pa[k], pb[k])])),
        volume: {
          n: a.volume.n + b.volume.n,
          buckets,
          zones: [...new Set([...(a.volume.zones ?? []), ...(b.volume.zones ?? [])])].sort(),
        },
      };
    },
    result(state) {
      const s = state.parts as Record<string, unknown>;
      const r = (key: string) => (parts[key] as AnyAccumulator).result(s[key]);
      const customerKpis = r('callback') as CustomerKpis;
      return {
        tickets: state.tickets,
        csat: r('csat'),
        nps: r('nps'),
        ces: r('ces'),
        firstReplyTime: r('firstReply'),
        nextReplyTime: r('nextReply'),
        firstResolutionTime: r('firstResolution'),
        resolutionTime: r('resolution'),
        handleTime: r('handle'),
        requesterWaitTime: r('requesterWait'),
        agentWaitTime: r('agentWait'),
        onHoldTime: r('onHold'),
        agentWorkTime: r('agentWork'),
        fcr: r('fcr'),
        zeroTouchRate: r('zeroTouch'),
        oneTouchRate: r('oneTouch'),
        twoTouchRate: r('twoTouch'),
        reopenRate: r('reopen'),
        escalationRate: r('escalation'),
        callbackRate: customerKpis.callback,
        returningCustomerRate: customerKpis.returning,
        chatAbandonmentRate: r('chatAbandonment'),
        ...(o.utilisation === undefined ? {} : { agentUtilisation: r('utilisation') }),
        slaCompliance: Object.fromEntries(clocks.map((clock) => [clock, r(`sla:${clock}`)])),
        volume: {
          definition: volumeDefinition(volumeOptions, state.volume.zones ?? []),
          n: state.volume.n,
          buckets: state.volume.buckets,
        },
        selfService: r('selfService'),
        relations: r('relations'),
      };
    },
    addAnswers(state, audience, answers) {
      if (audience === 'excluded' || answers.length === 0) return state;
      const s = state.parts as Record<string, unknown>;
      addAnswers(s, answers);
      // The self-service part splits CSAT by who solved the ticket, as its `add` does.
      const csatAnswers = answers.filter((a) => a.survey === 'csat');
      if (csatAnswers.length > 0 && audience !== 'neither') {
        const ss = s.selfService as Record<string, unknown>;
        const key = audience === 'self-service' ? 'csatBot' : 'csatHuman';
        let counts = ss[key];
        for (const a of csatAnswers) counts = csatOnly.add(counts as never, a);
        s.selfService = { ...ss, [key]: counts };
      }
      return state;
    },
    settle(state, before) {
      const s = state.parts as Record<string, unknown>;
      s.callback = customers.settle(s.callback as never, before);
      return state;
    },
  };
}
