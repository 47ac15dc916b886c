// KPIs over 1,000,000 synthetic tickets: carekit's kpiReport (and its accumulators, streamed)
// against one hand-written loop computing the same numbers, in the same run; then the memory of
// streaming 100,000 against 1,000,000 tickets through the accumulators; then carekit's quantile
// sketch against @datadog/sketches-js on adds and on accuracy.
//
//   npm run bench -- metrics            (bench/run.ts re-runs node with --expose-gc: collected
//                                        memory figures, and a collection before each timed run)
//   CAREKIT_BENCH_TICKETS=200000 CAREKIT_BENCH_RUNS=5 npm run bench -- metrics
//
// Times are medians of interleaved rounds (loop, report, stream, loop, ...), wall clock and CPU.
import os from 'node:os';
import { DDSketch } from '@datadog/sketches-js';
import {
  addToSketch,
  csatAccumulator,
  durationAccumulator,
  emptySketch,
  kpiReport,
  npsAccumulator,
  rateAccumulator,
  sketchQuantile,
  TICKET_FACTS_VERSION,
  type TicketFacts,
} from '../src/metrics/index.js';
import { prng } from './syntheticLogs.js';

const HOUR = 3_600_000;
const channels = ['email', 'chat', 'social', 'marketplace'] as const;

/** Synthetic facts shaped like a shop's week: replies within hours, most solved, a few reopen, some rated. */
export function* syntheticFacts(count: number, seed = 7): Generator<TicketFacts> {
  const random = prng(seed);
  const start = Date.UTC(2026, 0, 5);
  for (let i = 0; i < count; i++) {
    const createdAt = start + Math.floor(random() * 30 * 24) * HOUR;
    const replied = random() < 0.95;
    const firstReplyAt = replied ? createdAt + Math.floor(random() ** 2 * 12 * HOUR) : null;
    const solved = replied && random() < 0.85;
    const solvedAt = solved ? (firstReplyAt as number) + Math.floor(random() * 24 * HOUR) : null;
    const reopens = solved && random() < 0.07 ? 1 : 0;
    const agentReplies = replied ? 1 + (random() < 0.3 ? 1 : 0) + reopens : 0;
    const surveys =
      solved && random() < 0.3
        ? [
            {
              survey: random() < 0.7 ? ('csat' as const) : ('nps' as const),
              score: 0,
              at: (solvedAt as number) + HOUR,
            },
          ]
        : [];
    for (const s of surveys)
      s.score = s.survey === 'csat' ? 1 + Math.floor(random() * 5) : Math.floor(random() * 11);
    yield {
      factsVersion: TICKET_FACTS_VERSION,
      ticketId: `T-${i}`,
      customerId: `c-${Math.floor(random() * count * 0.7)}`,
      channel: channels[i % 4] as (typeof channels)[number],
      category: random() < 0.1 ? 'complaint' : 'order_status',
      priority: 'normal',
      segment: null,
      assigneeId: `a${i % 40}`,
      tier: 1,
      origin: 'customer',
      createdAt,
      firstReplyAt,
      firstSolvedAt: solvedAt,
      solvedAt,
      closedAt: null,
      status: solved ? 'solved' : 'open',
      reopens,
      agentReplies,
      customerReplies: reopens,
      assignments: 1,
      escalations: random() < 0.05 ? 1 : 0,
      handleTimeMs: Math.floor(random() * 20 * 60_000),
      timeInStatus: { new: 0, open: 0, pending: 0, on_hold: 0 },
      business: null,
      excluded: null,
      surveys,
      sla: { firstReply: firstReplyAt !== null && firstReplyAt - createdAt <= 4 * HOUR ? 'met' : 'breached' },
      lastEventAt: solvedAt ?? createdAt,
      nextReplyWaitsMs: [],
    };
  }
}

interface Numbers {
  frtMean: number;
  frtMedian: number;
  resolutionMedian: number;
  fcr: number;
  reopen: number;
  csat: number;
  nps: number;
  slaFirstReply: number;
}

/** The hand-written loop: one pass, exact medians by sorting, the same definitions. */
function handLoop(facts: Iterable<TicketFacts>): Numbers {
  const frt: number[] = [];
  const resolution: number[] = [];
  let solved = 0;
  let oneTouch = 0;
  let reopened = 0;
  let csatN = 0;
  let csatGood = 0;
  let npsN = 0;
  let promoters = 0;
  let detractors = 0;
  let slaN = 0;
  let slaMet = 0;
  for (const f of facts) {
    if (f.excluded !== null) continue;
    if (f.firstReplyAt !== null) frt.push(f.firstReplyAt - f.createdAt);
    if (f.solvedAt !== null) {
      resolution.push(f.solvedAt - f.createdAt);
      solved++;
      if (f.agentReplies < 2) oneTouch++;
      if (f.reopens > 0) reopened++;
    }
    for (const s of f.surveys) {
      if (s.survey === 'csat') {
        csatN++;
        if (s.score >= 4) csatGood++;
      } else if (s.survey === 'nps') {
        npsN++;
        if (s.score >= 9) promoters++;
        else if (s.score <= 6) detractors++;
      }
    }
    const sla = f.sla?.firstReply;
    if (sla === 'met' || sla === 'breached') {
      slaN++;
      if (sla === 'met') slaMet++;
    }
  }
  const median = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return xs[Math.floor((xs.length - 1) / 2)] as number;
  };
  return {
    frtMean: frt.reduce((a, b) => a + b, 0) / frt.length,
    frtMedian: median(frt),
    resolutionMedian: median(resolution),
    fcr: (100 * oneTouch) / solved,
    reopen: (100 * reopened) / solved,
    csat: (100 * csatGood) / csatN,
    nps: (100 * (promoters - detractors)) / npsN,
    slaFirstReply: (100 * slaMet) / slaN,
  };
}

function fromReport(facts: readonly TicketFacts[]): Numbers {
  const r = kpiReport(facts, { slaClocks: ['firstReply'] });
  return {
    frtMean: r.firstReplyTime.value as number,
    frtMedian: r.firstReplyTime.median as number,
    resolutionMedian: r.resolutionTime.median as number,
    fcr: r.fcr.value as number,
    reopen: r.reopenRate.value as number,
    csat: r.csat.value as number,
    nps: r.nps.value as number,
    slaFirstReply: r.slaCompliance.firstReply?.value as number,
  };
}

/** The same numbers from carekit's accumulators, streamed in one pass (no array of facts). */
function streamed(facts: Iterable<TicketFacts>): Numbers {
  const counted = (f: TicketFacts) => f.excluded === null;
  const accs = {
    frt: durationAccumulator(
      (f: TicketFacts) => (counted(f) && f.firstReplyAt !== null ? f.firstReplyAt - f.createdAt : null),
      'frt',
    ),
    res: durationAccumulator(
      (f: TicketFacts) => (counted(f) && f.solvedAt !== null ? f.solvedAt - f.createdAt : null),
      'res',
    ),
    fcr: rateAccumulator(
      (f: TicketFacts) => f.agentReplies < 2,
      (f) => counted(f) && f.solvedAt !== null,
      'fcr',
    ),
    reopen: rateAccumulator(
      (f: TicketFacts) => f.reopens > 0,
      (f) => counted(f) && f.solvedAt !== null,
      'reopen',
    ),
    sla: rateAccumulator(
      (f: TicketFacts) => f.sla?.firstReply === 'met',
      (f) => counted(f) && (f.sla?.firstReply === 'met' || f.sla?.firstReply === 'breached'),
      'sla',
    ),
  };
  const csat = csatAccumulator();
  const nps = npsAccumulator();
  let states = {
    frt: accs.frt.empty(),
    res: accs.res.empty(),
    fcr: accs.fcr.empty(),
    reopen: accs.reopen.empty(),
    sla: accs.sla.empty(),
    csat: csat.empty(),
    nps: nps.empty(),
  };
  for (const f of facts) {
    states = {
      frt: accs.frt.add(states.frt, f),
      res: accs.res.add(states.res, f),
      fcr: accs.fcr.add(states.fcr, f),
      reopen: accs.reopen.add(states.reopen, f),
      sla: accs.sla.add(states.sla, f),
      csat: states.csat,
      nps: states.nps,
    };
    for (const s of f.surveys) {
      if (s.survey === 'csat') states.csat = csat.add(states.csat, s);
      else if (s.survey === 'nps') states.nps = nps.add(states.nps, s);
    }
  }
  const frt = accs.frt.result(states.frt);
  return {
    frtMean: frt.value as number,
    frtMedian: frt.median as number,
    resolutionMedian: accs.res.result(states.res).median as number,
    fcr: accs.fcr.result(states.fcr).value as number,
    reopen: accs.reopen.result(states.reopen).value as number,
    csat: csat.result(states.csat).value as number,
    nps: nps.result(states.nps).value as number,
    slaFirstReply: accs.sla.result(states.sla).value as number,
  };
}

function time<T>(runs: number, fn: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Timed<T> {
  /** Median wall-clock ms over the rounds. */
  ms: number;
  /** Median CPU ms of the process over the rounds (every thread: the collector's helpers too). */
  cpu: number;
  value: T;
}

/**
 * Times each candidate once per round, the candidates interleaved (loop, report, loop, report,
 * ...) so a change in the machine's load hits them alike, each after a collection (so one does
 * not pay for the other's garbage), and returns medians of wall and CPU time.
 */
function rounds<K extends string>(
  count: number,
  candidates: Record<K, () => unknown>,
): Record<K, Timed<unknown>> {
  const keys = Object.keys(candidates) as K[];
  const wall = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const cpu = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const values = {} as Record<K, unknown>;
  for (let r = 0; r < count; r++) {
    for (const k of keys) {
      gc?.();
      const c = cpuMs();
      const w = performance.now();
      values[k] = candidates[k]();
      wall[k].push(performance.now() - w);
      cpu[k].push(cpuMs() - c);
    }
  }
  return Object.fromEntries(
    keys.map((k) => [k, { ms: median(wall[k]), cpu: median(cpu[k]), value: values[k] }]),
  ) as Record<K, Timed<unknown>>;
}

function agree(a: Numbers, b: Numbers): string {
  const worst = Math.max(
    ...(Object.keys(a) as (keyof Numbers)[]).map(
      (k) => Math.abs(a[k] - b[k]) / Math.max(1e-9, Math.abs(b[k])),
    ),
  );
  return `${(worst * 100).toFixed(2)}% largest relative difference`;
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapAfter(fn: () => void): number {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  fn();
  gc?.();
  return process.memoryUsage().heapUsed - before;
}

export default async function run(): Promise<void> {
  const N = Number(process.env.CAREKIT_BENCH_TICKETS ?? 1_000_000);
  const facts = [...syntheticFacts(N)];
  const RUNS = Number(process.env.CAREKIT_BENCH_RUNS ?? 3);
  const t = rounds(RUNS, {
    loop: () => handLoop(facts),
    report: () => fromReport(facts),
    stream: () => streamed(syntheticFacts(N)),
    generate: () => {
      let n = 0;
      for (const _ of syntheticFacts(N)) n++;
      return n;
    },
  });
  const loop = t.loop as Timed<Numbers>;
  const report = t.report as Timed<Numbers>;
  const stream = t.stream as Timed<Numbers>;
  const generate = t.generate;
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
  console.log(
    `\n${N.toLocaleString('en-US')} tickets, medians of ${RUNS} interleaved rounds, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}${gc ? '' : ' (without --expose-gc: no collection between runs)'}`,
  );
  console.table([
    {
      what: 'hand-written loop (array)',
      ms: Math.round(loop.ms),
      cpu: Math.round(loop.cpu),
      ratio: '1.00×',
      'cpu ratio': '1.00×',
    },
    {
      what: 'carekit kpiReport (array, every KPI)',
      ms: Math.round(report.ms),
      cpu: Math.round(report.cpu),
      ratio: ratio(report.ms, loop.ms),
      'cpu ratio': ratio(report.cpu, loop.cpu),
    },
    {
      what: 'carekit accumulators (streamed from a generator)',
      ms: Math.round(stream.ms - generate.ms),
      cpu: Math.round(stream.cpu - generate.cpu),
      ratio: ratio(stream.ms - generate.ms, loop.ms),
      'cpu ratio': ratio(stream.cpu - generate.cpu, loop.cpu),
    },
  ]);
  console.log(`kpiReport vs loop: ${agree(report.value, loop.value)} (medians: 1% sketch)`);
  console.log(`streamed vs loop:  ${agree(stream.value, loop.value)}`);

  facts.length = 0;
  const small = heapAfter(() => streamed(syntheticFacts(N / 10)));
  const large = heapAfter(() => streamed(syntheticFacts(N)));
  console.log(
    `heap growth streaming ${(N / 10).toLocaleString('en-US')} tickets: ${(small / 1e6).toFixed(1)} MB; ${N.toLocaleString('en-US')} tickets: ${(large / 1e6).toFixed(1)} MB${gc ? '' : ' (run node with --expose-gc for steadier figures)'}`,
  );

  // The sketch: adds per second and accuracy against exact quantiles, beside @datadog/sketches-js.
  const random = prng(3);
  const values = Array.from({ length: 200_000 }, () => Math.floor(60_000 + random() ** 3 * 48 * HOUR));
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank, as carekit's percentiles are defined: the value of rank ⌈q·n⌉.
  const exact = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
  // carekit's accumulators add in place (the state belongs to the fold); addToSketch is the pure form.
  const ours = time(5, () => {
    const acc = durationAccumulator((v: number) => v, 'bench');
    let state = acc.empty();
    for (const v of values) state = acc.add(state, v);
    return state.sketch;
  });
  const pure = time(1, () => {
    let s = emptySketch();
    for (const v of values.slice(0, 20_000)) s = addToSketch(s, v);
    return s;
  });
  const theirs = time(5, () => {
    const s = new DDSketch({ relativeAccuracy: 0.01 });
    for (const v of values) s.accept(v);
    return s;
  });
  const rows = [0.5, 0.9, 0.99].map((q) => ({
    quantile: q,
    exact: exact(q),
    carekit: Math.round(sketchQuantile(ours.value, q) as number),
    datadog: Math.round(theirs.value.getValueAtQuantile(q) as number),
  }));
  console.table(rows);
  console.log(
    `adds: carekit accumulator ${Math.round((values.length / ours.ms) * 1000).toLocaleString('en-US')}/s (pure addToSketch ${Math.round((20_000 / pure.ms) * 1000).toLocaleString('en-US')}/s), @datadog/sketches-js ${Math.round((values.length / theirs.ms) * 1000).toLocaleString('en-US')}/s`,
  );
}
