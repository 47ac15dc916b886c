// Business time: carekit's calendar against moment-business-time (with moment-timezone) on the
// same schedule (Mon–Fri 09:00–12:00 and 13:00–17:00, a lunch break) and the same whole-day
// holidays, in the same run. The two are first checked to agree on 10,000 random cases.
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { addBusinessTime, businessTimeBetween, createCalendar, isOpen } from '../src/calendar/index.js';
import { prng } from './syntheticLogs.js';

const require = createRequire(import.meta.url);
type MomentLike = {
  addWorkingTime(n: number, unit: string): MomentLike;
  workingDiff(other: MomentLike, unit: string, float?: boolean): number;
  valueOf(): number;
};
type MomentTz = {
  tz(t: number, zone: string): MomentLike;
  updateLocale(name: string, spec: unknown): void;
  locale(name: string): void;
};
const moment = require('moment-timezone') as MomentTz;
require('moment-business-time');

const H = 3_600_000;
const ZONE = process.env.CALENDAR_ZONE ?? 'America/New_York';
// CALENDAR_LUNCH=0 drops the lunch break (one 09:00–17:00 interval a day).
const lunch = process.env.CALENDAR_LUNCH !== '0';
const split: [string, string][] = lunch
  ? [
      ['09:00', '12:00'],
      ['13:00', '17:00'],
    ]
  : [['09:00', '17:00']];
const momentDay = lunch ? ['09:00:00', '12:00:00', '13:00:00', '17:00:00'] : ['09:00:00', '17:00:00'];
const holidays = [
  '2025-01-01',
  '2025-01-20',
  '2025-02-17',
  '2025-05-26',
  '2025-07-04',
  '2025-09-01',
  '2025-11-27',
  '2025-12-25',
  '2026-01-01',
];

export default async function run(): Promise<void> {
  const calendar = createCalendar({
    timeZone: ZONE,
    week: { mon: split, tue: split, wed: split, thu: split, fri: split },
    holidays,
  });
  moment.updateLocale('en', {
    workinghours: {
      0: null,
      1: momentDay,
      2: momentDay,
      3: momentDay,
      4: momentDay,
      5: momentDay,
      6: null,
    },
    holidays,
  });
  moment.locale('en');

  // Agreement on 10,000 random cases (whole minutes; moment works in whole minutes and skips
  // nothing at daylight-saving changes, which happen outside these opening hours).
  const random = prng(7);
  const start = Date.UTC(2025, 0, 1);
  let agreeAdd = 0;
  let agreeDiff = 0;
  let bothOpen = 0;
  let agreeBothOpen = 0;
  let checked = 0;
  let carekitRight = 0;
  const cases = 10_000;
  const disagreements: string[] = [];
  for (let i = 0; i < cases; i++) {
    const s = start + Math.floor(random() * 300 * 24 * 60) * 60_000;
    const hours = 1 + Math.floor(random() * 200);
    const mine = addBusinessTime(calendar, s, hours * H).getTime();
    const theirs = moment.tz(s, ZONE).addWorkingTime(hours, 'hours').valueOf();
    if (mine === theirs) agreeAdd++;
    else if (disagreements.length < 3)
      disagreements.push(
        `add ${new Date(s).toISOString()} + ${hours} h: carekit ${new Date(mine).toISOString()}, moment ${new Date(theirs).toISOString()}`,
      );
    const e = s + Math.floor(random() * 30 * 24 * 60) * 60_000;
    const myDiff = businessTimeBetween(calendar, s, e) / 60_000;
    const theirDiff = moment.tz(e, ZONE).workingDiff(moment.tz(s, ZONE), 'minutes');
    const endpointsOpen = isOpen(calendar, s) && isOpen(calendar, e);
    if (endpointsOpen) bothOpen++;
    if (myDiff === theirDiff) {
      agreeDiff++;
      if (endpointsOpen) agreeBothOpen++;
    } else if (checked < 50) {
      // Settle the disagreement by counting open minutes one by one.
      checked++;
      let minutes = 0;
      for (let t = s; t < e; t += 60_000) if (isOpen(calendar, t)) minutes++;
      if (minutes === myDiff) carekitRight++;
    }
    if (myDiff !== theirDiff && disagreements.length < 4)
      disagreements.push(
        `between ${new Date(s).toISOString()} .. ${new Date(e).toISOString()}: carekit ${myDiff} min, moment ${theirDiff} min`,
      );
  }
  console.log(
    `zone ${ZONE}, ${lunch ? 'with' : 'without'} a lunch break: addBusinessTime agrees on ${agreeAdd}/${cases}, businessTimeBetween on ${agreeDiff}/${cases}`,
  );
  console.log(`  with both ends inside opening hours: ${agreeBothOpen}/${bothOpen} agree`);
  console.log(`  of ${checked} disagreements counted minute by minute, carekit is right in ${carekitRight}`);
  for (const d of disagreements) console.log(`  disagreement: ${d}`);

  const t0 = Date.UTC(2025, 2, 14, 20, 0); // Friday afternoon in New York
  const month = t0 + 30 * 24 * H;
  const year = t0 + 365 * 24 * H;
  const bench = new Bench({ time: 400 });
  bench
    .add('carekit addBusinessTime 8 h', () => addBusinessTime(calendar, t0, 8 * H))
    .add('moment-business-time addWorkingTime 8 h', () => moment.tz(t0, ZONE).addWorkingTime(8, 'hours'))
    .add('carekit addBusinessTime 200 h', () => addBusinessTime(calendar, t0, 200 * H))
    .add('moment-business-time addWorkingTime 200 h', () => moment.tz(t0, ZONE).addWorkingTime(200, 'hours'))
    .add('carekit businessTimeBetween 30 days', () => businessTimeBetween(calendar, t0, month))
    .add('moment-business-time workingDiff 30 days', () =>
      moment.tz(month, ZONE).workingDiff(moment.tz(t0, ZONE), 'minutes'),
    )
    .add('carekit businessTimeBetween 1 year', () => businessTimeBetween(calendar, t0, year))
    .add('moment-business-time workingDiff 1 year', () =>
      moment.tz(year, ZONE).workingDiff(moment.tz(t0, ZONE), 'minutes'),
    );
  await bench.run();
  console.table(bench.table());
  const mean = (name: string) => {
    const r = bench.tasks.find((t) => t.name === name)?.result;
    return r !== undefined && 'latency' in r ? r.latency.mean : Number.NaN;
  };
  for (const [label, mine, theirs] of [
    ['add 8 h', 'carekit addBusinessTime 8 h', 'moment-business-time addWorkingTime 8 h'],
    ['add 200 h', 'carekit addBusinessTime 200 h', 'moment-business-time addWorkingTime 200 h'],
    ['between 30 days', 'carekit businessTimeBetween 30 days', 'moment-business-time workingDiff 30 days'],
    ['between 1 year', 'carekit businessTimeBetween 1 year', 'moment-business-time workingDiff 1 year'],
  ] as const) {
    console.log(`${label}: carekit is ${(mean(theirs) / mean(mine)).toFixed(0)}x faster`);
  }
}
