// The rules bench's workload for profiling, CPU time per pass (not part of `npm run bench`):
// `npx esbuild bench/profileRules.ts --bundle --platform=node --format=esm --outfile=/tmp/p.mjs
// --external:json-rules-engine` (rules.bench.ts imports it; bundled, its dynamic require fails),
// then `RULES_TICKETS=5000 [PROFILE_OUT=p.cpuprofile] node /tmp/p.mjs [plain|run|recorded|floor|all] [sla]`
// (floor: the recorded logs through the workflow without rules).

import { createCalendar } from '../src/calendar/index.js';
import { parseTicketEvent } from '../src/model/index.js';
import { defineRules } from '../src/rules/index.js';
import { createSlaPolicy } from '../src/sla/index.js';
import { createTicketWorkflow } from '../src/workflows/index.js';
import { benchRules } from './rules.bench.js';
import { syntheticTicketLogs } from './syntheticLogs.js';

const office = createCalendar({
  timeZone: 'Europe/Lisbon',
  week: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
});
const sla = createSlaPolicy({
  id: 'standard',
  calendar: 'office',
  firstReply: {
    targets: { low: { hours: 24 }, normal: { hours: 8 }, high: { hours: 2 }, urgent: { hours: 1 } },
  },
  resolution: { targets: { normal: { days: 3 }, high: { days: 1 } } },
});
const tickets = Number(process.env.RULES_TICKETS ?? 5000);
const logs = syntheticTicketLogs(tickets, 42).map((log) => log.map((e) => parseTicketEvent(e)));
const rules = defineRules(benchRules(), { calendars: { office } });
const base = { autoSolvePendingAfter: null, calendars: { office } } as const;
const withSla = process.argv.includes('sla');
const mode =
  process.argv.find(
    (a) => a === 'plain' || a === 'run' || a === 'recorded' || a === 'floor' || a === 'all',
  ) ?? 'run';
const plain = createTicketWorkflow(withSla ? { ...base, sla } : base);
const ruled = createTicketWorkflow(withSla ? { ...base, sla, rules } : { ...base, rules });
const recorded =
  mode === 'plain' || mode === 'run'
    ? logs
    : logs.map((log) => ruled.replay(log, { trusted: true, runRules: true }).log ?? log);

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
const post = (method: string, params?: object) =>
  new Promise<{ profile?: unknown }>((resolve, reject) =>
    session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as { profile?: unknown }))),
  );
if (process.env.PROFILE_OUT) {
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.start');
}
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const modes = mode === 'all' ? ['plain', 'run', 'recorded', 'floor'] : [mode];
for (let pass = 0; pass < 3; pass++) {
  for (const m of modes) {
    const t0 = cpu();
    if (m === 'plain') for (const log of logs) plain.replay(log, { trusted: true });
    else if (m === 'run') for (const log of logs) ruled.replay(log, { trusted: true, runRules: true });
    else if (m === 'floor') for (const log of recorded) plain.replay(log, { trusted: true });
    else for (const log of recorded) ruled.replay(log, { trusted: true });
    console.log(m, withSla ? 'sla' : 'no sla', (cpu() - t0).toFixed(0), 'ms cpu');
  }
}
if (process.env.PROFILE_OUT) {
  const { profile } = await post('Profiler.stop');
  writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
}
