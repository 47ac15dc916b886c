// Replay speed: rebuilding tickets from their event logs. carekit's replay (trusted events,
// and validating every event) against the same machine run by an XState actor and by XState's
// pure transition(), and against a hand-written reducer of the same rules (the practical limit).
// REPLAY_TICKETS sets the log size (default 100,000 tickets, about 900,000 events).
//
// carekit runs bundled by esbuild (bench/replayBundled.ts, one ES module with zod and xstate left
// as packages, the way dist/ is built): what users run. `REPLAY_TSX=1` runs it from the sources
// through tsx instead (slower: tsx wraps every function to keep its name).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createActor, initialTransition, transition } from 'xstate';
import type { TicketEvent } from '../src/model/index.js';
import { syntheticTicketLogs } from './syntheticLogs.js';

type Carekit = typeof import('./replayBundled.js');

/** carekit's entry for this bench: bundled with esbuild into .tmp/ (or the sources with REPLAY_TSX=1). */
async function loadCarekit(): Promise<Carekit> {
  const entry = join(import.meta.dirname, 'replayBundled.ts');
  if (process.env.REPLAY_TSX === '1') return (await import(pathToFileURL(entry).href)) as Carekit;
  const { build } = await import('esbuild');
  const dir = join(import.meta.dirname, '../.tmp');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `replay-bench-${process.pid}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
  });
  try {
    return (await import(pathToFileURL(out).href)) as Carekit;
  } finally {
    rmSync(out, { force: true });
  }
}

type Status = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed' | 'merged';

/** The lifecycle's rules written as one switch: no table, no guards, no copies. */
function handReducer(log: readonly TicketEvent[]) {
  let status: Status = 'new';
  let assignee: string | null = null;
  let solvedAt: number | null = null;
  let replies = 0;
  let customerReplies = 0;
  let reopens = 0;
  const ids = new Set<string>();
  for (const e of log) {
    if (ids.has(e.id)) continue;
    ids.add(e.id);
    switch (e.type) {
      case 'agent.replied':
        replies++;
        assignee ??= e.agentId;
        if (e.status !== undefined) {
          if (status === 'solved' && e.status !== 'solved') reopens++;
          status = e.status;
          if (status === 'solved') solvedAt = e.at;
        } else if (status === 'new') status = 'open';
        break;
      case 'customer.replied':
        customerReplies++;
        if (status === 'pending' || status === 'on_hold') status = 'open';
        else if (status === 'solved') {
          if (e.at - (solvedAt ?? 0) <= 7 * 86_400_000) {
            status = 'open';
            reopens++;
          } else status = 'closed';
        }
        break;
      case 'ticket.assigned':
        assignee = e.agentId;
        if (status === 'new') status = 'open';
        break;
      case 'survey.answered':
      case 'clock.tick':
        break;
      default:
        break;
    }
  }
  return { status, assignee, replies, customerReplies, reopens };
}

/** CPU seconds (user + system) of one call. */
function cpuSeconds(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Events per second two ways: the best of three wall-clock passes (other processes only ever
 * slow a pass down) and the median of three passes in CPU seconds (what a shared machine's load
 * changes least). Returns the CPU rate.
 */
function measure(label: string, events: number, run: () => void) {
  run(); // warm up
  let seconds = Number.POSITIVE_INFINITY;
  const cpu: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    cpu.push(cpuSeconds(run));
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
  }
  cpu.sort((a, b) => a - b);
  const rate = events / seconds;
  const cpuRate = events / cpu[1]!;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);
  console.log(`${label.padEnd(64)} ${fmt(rate)} events/s ${fmt(cpuRate)} events/CPU-s`);
  return cpuRate;
}

/** The same log with ISO 8601 instants (`2025-01-06T08:00:00.000Z`), as a Zendesk export has. */
function isoInstants(logs: readonly Record<string, unknown>[][]): Record<string, unknown>[][] {
  return logs.map((log) =>
    log.map((e) => (typeof e.at === 'number' ? { ...e, at: new Date(e.at).toISOString() } : e)),
  );
}

export default async function run(): Promise<void> {
  const { parseTicketEvent, createSlaPolicy, createTicketWorkflow, ticketMachine } = await loadCarekit();
  console.log(
    process.env.REPLAY_TSX === '1' ? 'carekit from the sources (tsx)' : 'carekit bundled (esbuild)',
  );
  const tickets = Number(process.env.REPLAY_TICKETS ?? 100_000);
  const logs = syntheticTicketLogs(tickets, 42).map((log) => log.map((e) => parseTicketEvent(e)));
  const raw = syntheticTicketLogs(Math.min(tickets, 20_000), 42);
  const events = logs.reduce((n, log) => n + log.length, 0);
  const small = logs.slice(0, Math.min(tickets, 5_000));
  const smallEvents = small.reduce((n, log) => n + log.length, 0);
  const rawEvents = raw.reduce((n, log) => n + log.length, 0);
  console.log(`${tickets.toLocaleString('en-US')} tickets, ${events.toLocaleString('en-US')} events\n`);

  const wf = createTicketWorkflow();
  const sla = createSlaPolicy({
    id: 'standard',
    calendar: null,
    firstReply: {
      targets: { low: { hours: 24 }, normal: { hours: 8 }, high: { hours: 2 }, urgent: { hours: 1 } },
    },
    nextReply: { targets: { normal: { hours: 8 } } },
    resolution: {
      targets: { low: { days: 5 }, normal: { days: 3 }, high: { days: 1 }, urgent: { hours: 8 } },
    },
  });
  const withSla = createTicketWorkflow({ sla });
  const results: Record<string, number> = {};
  results.hand = measure('hand-written reducer (same rules, no effects)', events, () => {
    for (const log of logs) handReducer(log);
  });
  results.trusted = measure('carekit replay(log, { trusted: true })', events, () => {
    for (const log of logs) wf.replay(log, { trusted: true });
  });
  results.sla = measure('carekit replay(log, { trusted: true }) with 3 SLA clocks', events, () => {
    for (const log of logs) withSla.replay(log, { trusted: true });
  });
  results.validating = measure('carekit replay(log) validating every event', rawEvents, () => {
    for (const log of raw) wf.replay(log as never);
  });
  results.untrustedSla = measure('carekit replay(log) validating, 3 SLA clocks', rawEvents, () => {
    for (const log of raw) withSla.replay(log as never);
  });
  const iso = isoInstants(raw);
  results.untrustedIsoSla = measure(
    'carekit replay(log) validating ISO instants, 3 SLA clocks',
    rawEvents,
    () => {
      for (const log of iso) withSla.replay(log as never);
    },
  );
  results.actor = measure('XState actor over the log (same machine)', smallEvents, () => {
    for (const log of small) {
      const [first, ...rest] = log;
      if (first?.type !== 'ticket.opened') continue;
      const actor = createActor(ticketMachine(wf), { input: { opened: first } }).start();
      for (const e of rest) actor.send(e);
      actor.stop();
    }
  });
  results.pure = measure('XState transition() per event (same machine)', smallEvents, () => {
    for (const log of small) {
      const [first, ...rest] = log;
      if (first?.type !== 'ticket.opened') continue;
      let [snapshot] = initialTransition(ticketMachine(wf), { opened: first });
      for (const e of rest) [snapshot] = transition(ticketMachine(wf), snapshot, e);
    }
  });
  console.log(
    `\ncarekit trusted replay is ${(results.trusted! / results.actor!).toFixed(1)}x the XState actor, ` +
      `${(results.trusted! / results.pure!).toFixed(1)}x transition(), ` +
      `${(results.hand! / results.trusted!).toFixed(1)}x slower than the hand reducer; ` +
      `with SLA clocks ${Math.round(results.sla!).toLocaleString('en-US')} events/CPU-s; ` +
      `untrusted with SLA clocks ${Math.round(results.untrustedSla!).toLocaleString('en-US')} ` +
      `(ISO instants ${Math.round(results.untrustedIsoSla!).toLocaleString('en-US')}) events/CPU-s ` +
      '(target 250,000)',
  );
}
