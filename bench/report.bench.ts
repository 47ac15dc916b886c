// `carekit report`'s memory and CPU over logs of a fixed customer base, at two sizes, medians of
// three runs each: peak RSS and CPU seconds of the command in a child process, beside a
// hand-written streaming loop over the same file (JSON.parse of each line and a count per ticket:
// the floor for reading the file) and a loop that also validates each event as the command does
// (`safeParseTicketEvent`: the share of the command's time that is validation).
//
// The command runs as users run it: bundled the way the package's `bin` is (esbuild, one ES module,
// no name-keeping wrappers), not through tsx, whose per-function `__name` wrappers and on-the-fly
// compile cost several seconds a run. `REPORT_TSX=1` runs it from the sources through tsx instead.
//
//   npm run bench -- report
//   REPORT_TICKETS=100000,1000000 REPORT_RUNS=3 npm run bench -- report
//
// Two logs per size: tickets closed by `ticket.closed` five days after the solve, and tickets the
// lifecycle auto-closes (no `ticket.closed`: solved, then the default 4-day auto-close), a third
// of them rated 20 days after the solve (a late answer, after the stream has forgotten the ticket).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DAY = 86_400_000;
const CUSTOMERS = 50_000;

export async function writeLog(file: string, count: number, autoClosed: boolean): Promise<void> {
  const out = createWriteStream(file);
  const T0 = Date.parse('2026-01-01T00:00:00Z');
  // In time order: events are buffered per ticket and written when the clock passes them.
  const pending: { at: number; line: string }[] = [];
  let buf = '';
  const flush = async (until: number) => {
    pending.sort((a, b) => a.at - b.at);
    let i = 0;
    for (; i < pending.length && (pending[i] as { at: number }).at <= until; i++)
      buf += (pending[i] as { line: string }).line;
    pending.splice(0, i);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  };
  for (let i = 0; i < count; i++) {
    const at = T0 + i * 60_000;
    const id = `T${i}`;
    const push = (event: Record<string, unknown>) =>
      pending.push({ at: event.at as number, line: `${JSON.stringify(event)}\n` });
    push({
      type: 'ticket.opened',
      id: `${id}-0`,
      ticketId: id,
      at,
      channel: i % 2 ? 'email' : 'chat',
      subject: 'Where is my order',
      body: 'It has not arrived yet and I am worried about it.',
      customer: { id: `c${(i * 7919) % CUSTOMERS}` },
      category: i % 5 ? 'order_status' : 'refund',
    });
    push({ type: 'ticket.assigned', id: `${id}-1`, ticketId: id, at: at + 600_000, agentId: `a${i % 40}` });
    push({
      type: 'agent.replied',
      id: `${id}-2`,
      ticketId: id,
      at: at + 3_600_000,
      agentId: `a${i % 40}`,
      body: 'It ships today, sorry for the wait.',
      status: 'solved',
      workMs: 300_000,
    });
    if (!autoClosed) push({ type: 'ticket.closed', id: `${id}-3`, ticketId: id, at: at + 5 * DAY });
    if (i % 3 === 0)
      push({
        type: 'survey.answered',
        id: `${id}-4`,
        ticketId: id,
        at: at + (autoClosed ? 20 : 2) * DAY,
        survey: 'csat',
        score: 4 + (i % 2),
      });
    if (i % 1000 === 999) await flush(at);
  }
  await flush(Number.POSITIVE_INFINITY);
  await new Promise<void>((resolve) => out.end(buf, resolve));
}

interface Run {
  rssMb: number;
  cpuS: number;
  out: string;
}

function run(script: readonly string[], args: readonly string[]): Run {
  const child = spawnSync(process.execPath, [...script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0 && child.status !== 1) throw new Error(child.stderr);
  const usage = JSON.parse(/USAGE (.*)/.exec(child.stderr)?.[1] ?? 'null') as {
    maxRSS: number;
    cpu: number;
  };
  return { rssMb: usage.maxRSS / 1024, cpuS: usage.cpu / 1e6, out: child.stdout };
}

// Every child reports its own peak RSS and CPU when it exits (a preloaded module), so the command
// runs unchanged, as its own entry point.
const usage = `process.on('exit', () => { const u = process.resourceUsage(); console.error('USAGE ' + JSON.stringify({ maxRSS: u.maxRSS, cpu: u.userCPUTime + u.systemCPUTime })); });`;
const src = (file: string) => join(import.meta.dirname, '../src', file);
// `validate`: none, the command's validation (`safeParseTicketEvent`, with its hand-written fast
// path for the common shapes), or the zod schema alone (as every event was validated before it).
const readLoop = (
  validate: 'none' | 'carekit' | 'zod',
) => `const { createReadStream } = await import('node:fs'); const { createInterface } = await import('node:readline');
${validate === 'none' ? '' : `const { safeParseTicketEvent, safeParseInput, TicketEvent } = await import(${JSON.stringify(src('model/index.ts'))});`}
const seen = new Map(); let lines = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
  if (!line) continue; const e = ${validate === 'carekit' ? 'safeParseTicketEvent(JSON.parse(line)).data' : validate === 'zod' ? "safeParseInput(TicketEvent, JSON.parse(line), 'ticket event').data" : 'JSON.parse(line)'}; lines++; seen.set(e.ticketId, (seen.get(e.ticketId) ?? 0) + 1);
  if (seen.size > 20000) seen.clear();
}
console.log(lines);`;

/**
 * The node arguments that run an entry (a file, or code written to `dir`): bundled with esbuild
 * (as the package's bin is), or through tsx with `REPORT_TSX=1`; with the usage reporter preloaded.
 */
async function script(
  dir: string,
  name: string,
  entry: { file: string } | { code: string },
): Promise<string[]> {
  const preload = join(dir, 'usage.mjs');
  writeFileSync(preload, usage);
  let file: string;
  if ('file' in entry) file = entry.file;
  else {
    file = join(dir, `${name}.mts`);
    writeFileSync(file, entry.code);
  }
  if (process.env.REPORT_TSX === '1') return ['--import', 'tsx', '--import', preload, file];
  const { build } = await import('esbuild');
  const out = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
  });
  return ['--import', preload, out];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export default async function bench(): Promise<void> {
  const sizes = (process.env.REPORT_TICKETS ?? '100000,1000000').split(',').map(Number);
  const runs = Number(process.env.REPORT_RUNS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'carekit-report-bench-'));
  const rows: Record<string, string | number>[] = [];
  try {
    const ours = await script(dir, 'carekit', { file: src('cli/carekit.ts') });
    const bare = await script(dir, 'loop', { code: readLoop('none') });
    const validating = await script(dir, 'validate', { code: readLoop('carekit') });
    const zodOnly = await script(dir, 'zod', { code: readLoop('zod') });
    for (const autoClosed of [false, true]) {
      for (const n of sizes) {
        const file = join(dir, `${n}-${autoClosed ? 'auto' : 'closed'}.ndjson`);
        await writeLog(file, n, autoClosed);
        const runsOf: Record<'ours' | 'bare' | 'validating' | 'zod', Run[]> = {
          ours: [],
          bare: [],
          validating: [],
          zod: [],
        };
        for (let r = 0; r < runs; r++) {
          runsOf.ours.push(run(ours, ['report', '--events', file, '--format', 'json']));
          runsOf.bare.push(run(bare, [file]));
          runsOf.validating.push(run(validating, [file]));
          runsOf.zod.push(run(zodOnly, [file]));
        }
        const cpu = (k: keyof typeof runsOf) => median(runsOf[k].map((x) => x.cpuS));
        const report = JSON.parse(runsOf.ours[0]?.out ?? '{}') as { tickets: number; csat: { n: number } };
        rows.push({
          log: autoClosed ? 'auto-closed, late answers' : 'ticket.closed',
          tickets: n.toLocaleString('en-US'),
          'report peak RSS MB': Math.round(median(runsOf.ours.map((x) => x.rssMb))),
          'report CPU s': cpu('ours').toFixed(1),
          'loop CPU s': cpu('bare').toFixed(1),
          'validating loop CPU s': cpu('validating').toFixed(1),
          'zod-only loop CPU s': cpu('zod').toFixed(1),
          'validating / loop': `${(cpu('validating') / cpu('bare')).toFixed(2)}×`,
          'zod-only / loop': `${(cpu('zod') / cpu('bare')).toFixed(2)}×`,
          'report / loop': `${(cpu('ours') / cpu('bare')).toFixed(2)}×`,
          'report / validating loop': `${(cpu('ours') / cpu('validating')).toFixed(2)}×`,
          'tickets counted': report.tickets,
          'CSAT answers': report.csat.n,
        });
        rmSync(file);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`medians of ${runs} runs each`);
  console.table(rows);
}
