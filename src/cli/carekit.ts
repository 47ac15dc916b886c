#!/usr/bin/env node
// The `carekit` command line: the only part of carekit that uses Node's APIs.
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createReportStream, formatReport } from '../metrics/index.js';
import { type CarekitIssue, CarekitValidationError, Channel, safeParseTicketEvent } from '../model/index.js';
import { describeDesk, diffDeskConfigs } from '../review/index.js';
import { createSlaPolicy, selectSlaPolicy } from '../sla/index.js';
import type { PgPoolLike } from '../store-postgres/index.js';
import { lintTemplate } from '../templates/index.js';
import {
  createTicketWorkflow,
  type Desk,
  lifecycleFactsOptions,
  parseDeskConfig,
  type ResolvedDeskConfig,
  type TicketStore,
} from '../workflows/index.js';

const HELP: Record<string, string> = {
  main: `carekit: review, validate and report on a customer-care desk

Usage:
  carekit review   --config <file> --out <dir>     write workflow.md and workflow.html
  carekit review   --diff <old> <new> [--out <dir>] what changed, for a reviewer to sign off
  carekit validate --config <file>                 list every problem in a configuration
  carekit report   --events <file.ndjson> | --store <url> [--config <file>] [--format md|json|text]
  carekit import   --from zendesk|freshdesk <file>... --config <file> --store <url>
  carekit <command> --help

Configurations are JSON files or JavaScript modules whose default export is the configuration.
Exit codes: 0 ok, 1 problems found, 2 usage, 3 could not read or write a file.
Add --debug to any command to see the stack trace of an unexpected error.`,
  review: `carekit review --config <file> --out <dir> [--name <name>]
carekit review --diff <old> <new> [--out <dir>]

Writes <dir>/workflow.md (the review document: custom code, a new contact's path, lifecycle
diagram and event × status table, calendars, SLA targets, escalation path, routing, templates,
surveys, KPI definitions; carekit's version, the desk's hash and the date on top) and
<dir>/workflow.html, which renders the diagrams with Mermaid from the same folder (offline).
A JavaScript module may export a running desk instead of a configuration: the review then reads
the desk's options, its custom code included.

With --diff, prints what changed between two configurations (SLA targets, hours, tiers, rules,
routing, agents, lifecycle) as a short document to sign off, or writes <dir>/changes.md.`,
  validate: `carekit validate --config <file>

Checks a desk configuration and prints every problem with its path. Exit 1 when there is any.`,
  report: `carekit report --events <file.ndjson> [--config <file>] [--format md|json|text]
carekit report --store postgres://…|pglite:<dir> [--config <file>] [--format md|json|text]

Reads an exported event log (one ticket event per line), or every event of a store, derives each
ticket's facts and prints the KPI report. Bad lines are reported with their line number and
skipped. With a configuration, SLA compliance uses its policies and times count its business
calendar.`,
  import: `carekit import --from zendesk|freshdesk <file>... --config <desk.json> --store <url>
               [--mapping <mapping.json>] [--schema carekit] [--batch 500] [--problems <file.ndjson>]
               [--agents <agents.json>] [--format text|json]

Imports a helpdesk's export into a store: Zendesk's incremental ticket events
(include=comment_events), ticket audits and ticket metrics, or Freshdesk's tickets with
conversations and time entries (JSON arrays, API pages or NDJSON, any size: read as a stream).
--store is postgres://… (a server) or pglite:<dir> (an embedded database, created if new);
--schema names the PostgreSQL schema of the store's tables (default carekit).
--mapping lays your statuses, priorities, channels, groups (tiers), custom fields and agents over
the source's defaults (see docs/import.md). Zendesk's users and organizations (the users and
organizations sideloads, or their own files, in any order among the files) name the customers and
agents and segment customers by organization: the files are read once for them before the
import; --agents writes the agents found (desk.json's agents: id, name, email).
Nothing is sent: no acknowledgement, survey or rule
runs. Every record that is not imported is reported with its line (all of them in --problems);
running the same import again adds nothing, so a crashed import resumes by running it again.
Where the files carry Zendesk's ticket metrics, carekit's figures are compared with them per
ticket and the share that agree is printed. Exit 1 when any record was not imported.`,
};

class UsageError extends Error {}

/** A file that could not be read, loaded or written: exit 3, one line naming it. */
class FileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function systemMessage(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const text = typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(error);
  return typeof e?.code === 'string' && !text.includes(e.code) ? `${e.code}: ${text}` : text;
}

function readable(file: string, what: string): string {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new FileError(file, systemMessage(error), { cause: error });
  }
  if (isDirectory) throw new FileError(file, `is a directory, not ${what}`);
  return path;
}

async function loadConfig(file: string | undefined): Promise<ResolvedDeskConfig> {
  return parseDeskConfig(await loadInput(file));
}

/** A desk a configuration module exports instead of data: `describeDesk` reads its options. */
function isDesk(value: unknown): value is Desk {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Desk).receive === 'function' &&
    typeof (value as Desk).options === 'object'
  );
}

/** A configuration file's content: JSON, or a module's default export (data, or a running desk). */
async function loadInput(file: string | undefined): Promise<unknown> {
  if (!file) throw new UsageError('--config <file> is required');
  const path = readable(file, 'a configuration file');
  const ext = extname(path);
  let input: unknown;
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new FileError(file, systemMessage(error), { cause: error });
    }
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new CarekitValidationError(
        [
          {
            code: 'invalid_json',
            path: [],
            message: `${file} is not valid JSON: ${(error as Error).message}`,
          },
        ],
        'desk configuration',
      );
    }
  } else {
    if (['.ts', '.mts', '.cts', '.tsx'].includes(ext)) {
      throw new FileError(
        file,
        'is TypeScript, which Node cannot load here; compile it to .js or .mjs, or write the configuration as JSON',
      );
    }
    try {
      const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
      input = module.default ?? module;
    } catch (error) {
      throw new FileError(file, `the configuration module failed to load: ${systemMessage(error)}`, {
        cause: error,
      });
    }
  }
  return input;
}

function writeOut(file: string, content: string): void {
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw new FileError(file, systemMessage(error), { cause: error });
  }
}

/**
 * Problems `parseDeskConfig` leaves to the tools: template channels, syntax and filters. Reads
 * the templates defensively, so that it also runs over a configuration the parse refused (then
 * `carekit validate` reports every template problem at once, not only the parse's first ones).
 */
function templateProblems(templates: unknown): CarekitIssue[] {
  const issues: CarekitIssue[] = [];
  if (!Array.isArray(templates)) return issues;
  const anything = z.any();
  templates.forEach((template: unknown, t) => {
    if (template === null || typeof template !== 'object') return;
    const { id, channels, locales } = template as { id?: unknown; channels?: unknown; locales?: unknown };
    if (Array.isArray(channels)) {
      channels.forEach((channel: unknown, c) => {
        if (!Channel.safeParse(channel).success) {
          issues.push({
            code: 'unknown_channel',
            path: ['templates', t, 'channels', c],
            message: `templates[${t}].channels[${c}]: ${JSON.stringify(String(channel).slice(0, 40))} is not a channel; expected one of ${Channel.options.join(', ')}`,
          });
        }
      });
    }
    if (locales === null || typeof locales !== 'object') return;
    for (const [locale, body] of Object.entries(locales as Record<string, unknown>)) {
      if (body === null || typeof body !== 'object') continue;
      const { variants, subject } = body as { variants?: unknown; subject?: unknown };
      const sources: [string, string, (string | number)[]][] = [];
      if (Array.isArray(variants))
        variants.forEach((v: unknown, i) => {
          if (typeof v === 'string')
            sources.push([v, `variants[${i}]`, ['templates', t, 'locales', locale, 'variants', i]]);
        });
      if (typeof subject === 'string')
        sources.push([subject, 'subject', ['templates', t, 'locales', locale, 'subject']]);
      for (const [source, name, path] of sources) {
        for (const issue of lintTemplate(source, anything).issues) {
          if (issue.severity !== 'error') continue;
          issues.push({
            code: issue.code,
            path,
            message: `templates[${t}] (${String(id)}) ${locale} ${name}, line ${issue.line}: ${issue.message}`,
          });
        }
      }
    }
  });
  return issues;
}

function printIssues(error: CarekitValidationError, file: string): void {
  console.error(`${file}: ${error.issues.length} problem${error.issues.length === 1 ? '' : 's'}`);
  for (const issue of error.issues) console.error(`  - ${issue.message} [${issue.code}]`);
}

function mermaidScript(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return readFileSync(
      join(dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js'),
      'utf8',
    );
  } catch {
    return null;
  }
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );
}

/** The body text's size in the page; diagrams draw their labels at the same size, unscaled. */
export const BODY_FONT_PX = 16;

/**
 * Mermaid's settings in workflow.html: labels at the body's size and diagrams at their natural
 * size (\`useMaxWidth: false\`: Mermaid otherwise shrinks a wide diagram, and its labels with it,
 * to the page's width); a diagram wider than the page scrolls in its own box.
 */
export const MERMAID_CONFIG = {
  startOnLoad: false,
  securityLevel: 'strict',
  theme: 'neutral',
  themeVariables: { fontSize: `${BODY_FONT_PX}px` },
  flowchart: { useMaxWidth: false, nodeSpacing: 80, rankSpacing: 80, padding: 12 },
  state: { useMaxWidth: false },
} as const;

/** Markdown to simple HTML: headings, tables, lists, paragraphs, code and Mermaid blocks. */
export function toHtml(markdown: string, title: string, hasMermaid: boolean): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  const inline = (text: string) =>
    escapeHtml(text)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('```')) {
      const lang = line.slice(3).trim();
      const body: string[] = [];
      while (i + 1 < lines.length && !(lines[i + 1] as string).startsWith('```'))
        body.push(lines[++i] as string);
      i++;
      out.push(
        lang === 'mermaid'
          ? `<div class="diagram"><pre class="mermaid">${escapeHtml(body.join('\n'))}</pre></div>`
          : `<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`,
      );
    } else if (/^#{1,6} /.test(line)) {
      const level = (line.match(/^#+/) as RegExpMatchArray)[0].length;
      out.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`);
    } else if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] as string).startsWith('|')) {
        const cells = (lines[i] as string)
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((c) => c.trim().replace(/\\\|/g, '|'));
        if (!cells.every((c) => /^-+$/.test(c))) rows.push(cells);
        i++;
      }
      i--;
      const [head, ...body] = rows;
      out.push(
        `<div class="table"><table><thead><tr>${(head ?? []).map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table></div>`,
      );
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && (lines[i] as string).startsWith('- '))
        items.push((lines[i++] as string).slice(2));
      i--;
      out.push(`<ul>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    } else if (line.trim() !== '') {
      out.push(`<p>${inline(line)}</p>`);
    }
  }
  const script = hasMermaid
    ? `<script src="mermaid.min.js"></script>
<script>
  mermaid.initialize(${JSON.stringify(MERMAID_CONFIG)});
  mermaid.run({ querySelector: '.mermaid' }).then(
    () => { document.body.dataset.rendered = 'true'; },
    (error) => { document.body.dataset.rendered = 'error'; console.error(error); },
  );
</script>`
    : '<script>document.body.dataset.rendered = "none";</script>';
  const missing = hasMermaid
    ? ''
    : '<p class="note">The diagrams are shown as their Mermaid source: install the optional <code>mermaid</code> package (<code>npm install mermaid</code>) and run <code>carekit review</code> again to draw them. The text under each diagram says the same in words.</p>\n';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; font-size: ${BODY_FONT_PX}px; line-height: 1.45; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1d2433; }
  .table, .diagram { overflow-x: auto; max-width: 100%; margin: 1rem 0; }
  table { border-collapse: collapse; } th, td { border: 1px solid #ccd; padding: .3rem .6rem; text-align: left; vertical-align: top; }
  th { background: #eef1f6; } code { background: #f3f4f7; padding: 0 .2rem; overflow-wrap: anywhere; } pre { overflow-x: auto; }
  td:first-child code { white-space: nowrap; overflow-wrap: normal; } pre.mermaid { background: none; margin: 0; } .note { background: #fff6dd; padding: .5rem .8rem; }
</style>
</head>
<body>
${missing}${out.join('\n')}
${script}
</body>
</html>
`;
}

async function review(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      diff: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return help('review');
  if (values.diff !== undefined) {
    const next = positionals[0];
    if (next === undefined || positionals.length > 1)
      throw new UsageError('--diff takes two configurations: --diff <old> <new>');
    const [before, after] = [await loadConfig(values.diff), await loadConfig(next)];
    const document = diffDeskConfigs(before, after, { names: [basename(values.diff), basename(next)] });
    if (values.out === undefined) {
      process.stdout.write(document);
      return 0;
    }
    const dir = makeDir(values.out);
    writeOut(join(dir, 'changes.md'), document);
    console.log(`wrote ${join(dir, 'changes.md')}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (!values.out) throw new UsageError('--out <dir> is required');
  const input = await loadInput(values.config);
  let markdown: string;
  let name: string;
  if (isDesk(input)) {
    // A module that exports a running desk: the review reads what it runs, code included.
    name = values.name ?? 'Customer care';
    markdown = describeDesk(input, { name });
  } else {
    const config = parseDeskConfig(input);
    name = values.name ?? config.name;
    markdown = describeDesk(config, { name });
  }
  const dir = makeDir(values.out);
  writeOut(join(dir, 'workflow.md'), markdown);
  const mermaid = mermaidScript();
  if (mermaid) writeOut(join(dir, 'mermaid.min.js'), mermaid);
  else
    console.error(
      'mermaid is not installed: workflow.html shows each diagram as its Mermaid source, with the same in words below it. Add it with `npm install mermaid` and run carekit review again to draw them.',
    );
  writeOut(join(dir, 'workflow.html'), toHtml(markdown, `${name}: customer care`, mermaid !== null));
  console.log(`wrote ${join(dir, 'workflow.md')} and ${join(dir, 'workflow.html')}`);
  return 0;
}

function makeDir(out: string): string {
  const dir = resolve(out);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new FileError(out, systemMessage(error), { cause: error });
  }
  return dir;
}

async function validate(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return help('validate');
  const input = await loadInput(values.config);
  let config: ResolvedDeskConfig;
  try {
    config = parseDeskConfig(input);
  } catch (error) {
    if (!(error instanceof CarekitValidationError)) throw error;
    // Every template problem at once: the parse's issues, with the template checks' own words
    // where both name one place (a channel the parse refused is an `unknown_channel`).
    const more = templateProblems((input as { templates?: unknown } | null)?.templates);
    const named = new Set(more.map((issue) => JSON.stringify(issue.path)));
    throw new CarekitValidationError(
      [...error.issues.filter((issue) => !named.has(JSON.stringify(issue.path))), ...more],
      'desk configuration',
    );
  }
  const problems = templateProblems(config.templates);
  if (problems.length > 0) throw new CarekitValidationError(problems, 'desk configuration');
  console.log(
    `${values.config}: valid (${Object.keys(config.calendars).length} calendars, ${config.slaPolicies.length} SLA policies, ${config.agents.length} agents, ${config.templates.length} templates)`,
  );
  return 0;
}

async function report(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string' },
      store: { type: 'string' },
      schema: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return help('report');
  if (!values.events && !values.store)
    throw new UsageError('--events <file.ndjson> or --store <url> is required');
  if (values.events && values.store) throw new UsageError('give --events or --store, not both');
  const eventsPath = values.events ? readable(values.events, 'an event log') : null;
  const format = values.format as string;
  if (!['md', 'json', 'text'].includes(format)) throw new UsageError('--format is md, json or text');
  const config = values.config ? await loadConfig(values.config) : null;
  const policies = (config?.slaPolicies ?? []).map((p) => createSlaPolicy(p));
  const { createCalendar } = await import('../calendar/index.js');
  const calendars = Object.fromEntries(
    Object.entries(config?.calendars ?? {}).map(([n, c]) => [n, createCalendar(c)]),
  );
  const business = config?.kpis.businessCalendar ? calendars[config.kpis.businessCalendar] : undefined;
  // Agent utilisation over the log's span, from the shift calendars the agents name.
  const shifts = Object.fromEntries(
    (config?.agents ?? []).flatMap((a) => {
      const calendar = a.calendarId === undefined ? undefined : calendars[a.calendarId];
      return calendar === undefined ? [] : [[a.id, calendar]];
    }),
  );

  // Events are grouped per ticket as they stream in; a ticket closed (explicitly or at its
  // lifecycle's deadlines) more than 14 days ago in the log's own time is folded into the report
  // and forgotten, so memory follows the active tickets and the customers (see docs/metrics.md).
  const lifecycle = lifecycleFactsOptions(config?.lifecycle ?? createTicketWorkflow().config);
  const factsOptions = new Map<string, object>();
  const stream = createReportStream({
    report: {
      business: business !== undefined,
      ...(config ? { fcr: config.kpis.fcr } : {}),
      ...(Object.keys(shifts).length > 0 ? { utilisation: { shifts } } : {}),
    },
    lifecycle,
    facts: (opened) => {
      const policy = selectSlaPolicy(policies, {
        segment: opened.customer.segment ?? null,
        channel: opened.channel,
        category: opened.category ?? null,
        priority: opened.priority ?? 'normal',
      });
      // One options object per policy: ticketFacts checks a bag once, not per ticket.
      const key = policy?.id ?? '';
      let o = factsOptions.get(key);
      if (!o) {
        o = { ...(policy ? { sla: policy, calendars } : {}), ...(business ? { calendar: business } : {}) };
        factsOptions.set(key, o);
      }
      return o;
    },
  });
  let lineNumber = 0;
  let bad = 0;
  const progress = process.stderr.isTTY;
  const show = (n: number) => {
    if (progress && n % 10_000 === 0)
      process.stderr.write(
        `\r${n.toLocaleString('en-US')} ${eventsPath ? 'lines' : 'events'}, ${stream.held().active.toLocaleString('en-US')} tickets active`,
      );
  };
  if (eventsPath === null) {
    const opened = await openStore(values.store as string, values.schema);
    try {
      for await (const event of opened.store.events()) {
        stream.add(event);
        show(++lineNumber);
      }
    } finally {
      await opened.close();
    }
  } else {
    const lines = createInterface({
      input: createReadStream(eventsPath, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        bad++;
        console.error(`line ${lineNumber}: not JSON, skipped`);
        continue;
      }
      const parsed = safeParseTicketEvent(json);
      if (!parsed.success) {
        bad++;
        console.error(`line ${lineNumber}: ${parsed.error.issues.map((i) => i.message).join('; ')}, skipped`);
        continue;
      }
      stream.add(parsed.data);
      show(lineNumber);
    }
  }
  if (progress) process.stderr.write('\r');
  const { report: result, tickets: factsCount, unopened, unplaced } = stream.finish();
  if (format === 'json')
    console.log(JSON.stringify(result, (_k, v) => (typeof v === 'function' ? undefined : v), 2));
  else console.log(formatReport(result, format as 'md' | 'text'));
  console.error(
    `${lineNumber.toLocaleString('en-US')} ${eventsPath ? 'lines' : 'events'}, ${factsCount.toLocaleString('en-US')} tickets${bad ? `, ${bad} bad lines skipped` : ''}${unopened ? `, ${unopened} tickets without ticket.opened skipped` : ''}${unplaced ? `, ${unplaced} survey answers without a ticket (or over 30 days after it was finished) skipped` : ''}`,
  );
  return bad > 0 || unopened > 0 || unplaced > 0 ? 1 : 0;
}

/** A store the command opened, and how to close it. */
interface OpenedStore {
  readonly store: TicketStore;
  close(): Promise<void>;
}

/** Opens `postgres://…` (a server, with the optional `pg` peer) or `pglite:<dir>` (embedded), migrated. */
async function openStore(url: string, schema?: string): Promise<OpenedStore> {
  const where = schema === undefined ? {} : { schema };
  const { createPostgresStore, migrate, pgPoolClient } = await import('../store-postgres/index.js');
  if (/^postgres(ql)?:\/\//.test(url)) {
    let pg: { Pool: new (options: { connectionString: string }) => PgPoolLike & { end(): Promise<void> } };
    try {
      pg = ((await import('pg')) as unknown as { default: typeof pg }).default;
    } catch (error) {
      throw new FileError(
        url,
        `a PostgreSQL server needs the \`pg\` package (npm install pg): ${systemMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    const pool = new pg.Pool({ connectionString: url });
    const client = pgPoolClient(pool);
    try {
      await migrate(client, where);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new FileError(
        url.replace(/\/\/[^@/]*@/, '//…@'),
        `could not open the store: ${systemMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    return { store: createPostgresStore(client, where), close: () => pool.end() };
  }
  if (url.startsWith('pglite:')) {
    const dir = url.slice('pglite:'.length);
    if (dir === '') throw new UsageError('--store pglite:<dir> needs a directory');
    const { openPgliteDirectory } = await import('../store-postgres/node/index.js');
    const opened = await openPgliteDirectory(resolve(dir));
    try {
      await migrate(opened.client, where);
    } catch (error) {
      await opened.close();
      throw error;
    }
    return { store: createPostgresStore(opened.client, where), close: () => opened.close() };
  }
  throw new UsageError(`--store is postgres://… or pglite:<dir>, not ${JSON.stringify(url.slice(0, 60))}`);
}

/** A file's chunks, as the importers read them. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array;
}

async function runImport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      config: { type: 'string' },
      store: { type: 'string' },
      schema: { type: 'string' },
      mapping: { type: 'string' },
      batch: { type: 'string' },
      problems: { type: 'string' },
      agents: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return help('import');
  if (values.agents !== undefined && values.from !== 'zendesk')
    throw new UsageError('--agents needs --from zendesk (Freshdesk exports carry no agent records)');
  const source = values.from;
  if (source !== 'zendesk' && source !== 'freshdesk') throw new UsageError('--from is zendesk or freshdesk');
  if (positionals.length === 0) throw new UsageError('give the export file(s) to import');
  if (!values.store) throw new UsageError('--store postgres://… or pglite:<dir> is required');
  const format = values.format as string;
  if (!['text', 'json'].includes(format)) throw new UsageError('--format is text or json');
  const batchSize = values.batch === undefined ? 500 : Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new UsageError('--batch is a whole number of at least 1');
  const files = positionals.map((file) => ({ file, path: readable(file, 'an export file') }));
  const imports = await import('../import/index.js');
  const lifecycle = imports.createImportLifecycle(await loadInput(values.config));
  const mappingInput = values.mapping ? await loadMapping(values.mapping) : {};
  let mapping: ReturnType<typeof imports.parseImportMapping>;
  try {
    mapping = imports.parseImportMapping(source, mappingInput);
  } catch (error) {
    if (!(error instanceof CarekitValidationError)) throw error;
    printIssues(error, values.mapping ?? 'mapping');
    return 1;
  }
  // Zendesk's users may come after the tickets that name them: the files are read for them first.
  const people = source === 'zendesk' ? imports.createZendeskPeople() : null;
  if (people !== null) {
    for (const { path } of files)
      await imports.readZendeskPeople(imports.readJsonRecords(fileChunks(path)), people);
  }
  const segments = lifecycle.config.segments?.passThrough ?? [];
  const read = (records: AsyncIterable<import('../import/index.js').ExportRecord>, m: typeof mapping) =>
    people !== null
      ? imports.readZendesk(records, m, { people, segments })
      : imports.readFreshdesk(records, m);
  const problemsOut = values.problems ? createWriteStream(resolve(values.problems)) : null;
  const shown: string[] = [];
  const tty = process.stderr.isTTY;
  const opened = await openStore(values.store, values.schema);
  const withMetrics: string[] = [];
  const totals = { items: 0, created: 0, updated: 0, events: 0, duplicates: 0, metrics: 0, people: 0 };
  const problems: Record<string, number> = {};
  const ignored: Record<string, number> = {};
  let agreement: Awaited<ReturnType<typeof imports.compareMetrics>> | null = null;
  const started = Date.now();
  try {
    for (const { file, path } of files) {
      const summary = await imports.importTickets(
        opened.store,
        read(imports.readJsonRecords(fileChunks(path)), mapping),
        {
          lifecycle,
          batchSize,
          onProblem(problem) {
            const line = `${file}:${problem.line}: ${problem.source}: ${problem.message} [${problem.code}${problem.reason ? `: ${problem.reason}` : ''}]`;
            if (shown.length < 20) shown.push(line);
            problemsOut?.write(`${JSON.stringify({ file, ...problem })}\n`);
          },
          onProgress(p) {
            const text = `${file}: line ${p.line.toLocaleString('en-US')}, ${(totals.created + p.created).toLocaleString('en-US')} tickets created, ${(totals.events + p.events).toLocaleString('en-US')} events, ${Object.values(p.problems).reduce((a, b) => a + b, 0)} not imported, ${Math.round((Date.now() - started) / 1000)} s`;
            process.stderr.write(tty ? `\r${text}` : `${text}\n`);
          },
        },
      );
      if (tty) process.stderr.write('\n');
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += summary[key];
      for (const [code, n] of Object.entries(summary.problems)) problems[code] = (problems[code] ?? 0) + n;
      for (const [what, n] of Object.entries(summary.ignored)) ignored[what] = (ignored[what] ?? 0) + n;
      if (summary.metrics > 0) withMetrics.push(path);
    }
    if (withMetrics.length > 0) {
      // A second, metrics-only pass over the files that carry them, once every ticket is stored.
      async function* metricsItems() {
        for (const path of withMetrics) yield* read(imports.readJsonRecords(fileChunks(path)), mapping);
      }
      agreement = await imports.compareMetrics(opened.store, metricsItems(), { lifecycle });
    }
  } finally {
    await opened.close();
    await new Promise<void>((done) => (problemsOut ? problemsOut.end(done) : done()));
  }
  const agents = people !== null ? imports.zendeskAgents(people, mapping) : [];
  if (values.agents !== undefined) {
    const path = resolve(values.agents);
    try {
      writeFileSync(path, `${JSON.stringify(agents, null, 2)}\n`);
    } catch (error) {
      throw new FileError(values.agents, `cannot write ${values.agents}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const notImported = Object.values(problems).reduce((a, b) => a + b, 0);
  if (format === 'json') {
    console.log(JSON.stringify({ ...totals, problems, ignored, agreement }, null, 2));
  } else {
    const lines = [
      `imported ${totals.created.toLocaleString('en-US')} new tickets (${totals.updated.toLocaleString('en-US')} updated) with ${totals.events.toLocaleString('en-US')} events; ${totals.duplicates.toLocaleString('en-US')} events were stored already`,
      `not imported: ${
        notImported === 0
          ? 'nothing'
          : Object.entries(problems)
              .map(([c, n]) => `${n} ${c}`)
              .join(', ')
      }`,
      `ignored by design (the source's own effects): ${
        Object.keys(ignored).length === 0
          ? 'nothing'
          : Object.entries(ignored)
              .map(([w, n]) => `${n} ${w}`)
              .join(', ')
      }`,
      ...(people !== null
        ? [
            `people: ${people.users.size.toLocaleString('en-US')} users (${agents.length} agents), ${people.organizations.size} organizations${values.agents ? ` (agents written to ${values.agents})` : ''}`,
          ]
        : []),
    ];
    if (agreement !== null) {
      lines.push(
        `agreement with the source's metrics over ${agreement.tickets} tickets (within ${agreement.tolerance.minutes} min or ${agreement.tolerance.relative * 100} %):`,
      );
      for (const hours of ['calendar', 'business'] as const) {
        const table = agreement[hours];
        if (table === null) {
          lines.push('  business minutes: not compared (the configuration has no kpis.businessCalendar)');
          continue;
        }
        for (const metric of imports.COMPARED_METRICS) {
          const row = table[metric];
          lines.push(
            `  ${metric} (${hours}): ${row.share === null ? 'nothing to compare' : `${row.share} % of ${row.compared} agree`}${row.onlyOneSide ? `, ${row.onlyOneSide} only on one side` : ''}`,
          );
        }
      }
      if (agreement.missing > 0) lines.push(`  ${agreement.missing} tickets with metrics were not imported`);
      if (agreement.merged > 0)
        lines.push(
          `  ${agreement.merged} merged tickets left out (carekit counts a merged pair once, as its target)`,
        );
    }
    console.log(lines.join('\n'));
  }
  for (const line of shown) console.error(line);
  if (notImported > shown.length) {
    console.error(
      `... and ${notImported - shown.length} more${values.problems ? ` (all in ${values.problems})` : ' (--problems <file> lists them all)'}`,
    );
  }
  return notImported > 0 ? 1 : 0;
}

async function loadMapping(file: string): Promise<unknown> {
  const path = readable(file, 'a mapping file');
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CarekitValidationError(
      [{ code: 'invalid_json', path: [], message: `${file} is not valid JSON: ${(error as Error).message}` }],
      'import mapping',
    );
  }
}

function help(command: string): number {
  console.log(HELP[command] ?? HELP.main);
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv.filter((a) => a !== '--debug');
  try {
    switch (command) {
      case 'review':
        return await review(rest);
      case 'validate':
        return await validate(rest);
      case 'report':
        return await report(rest);
      case 'import':
        return await runImport(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        return help('main');
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (debug) {
      console.error(error instanceof Error ? error.stack : error);
      const cause = error instanceof Error ? error.cause : undefined;
      if (cause instanceof Error) console.error(`caused by: ${cause.stack}`);
    }
    if (error instanceof CarekitValidationError) {
      printIssues(error, rest[rest.indexOf('--config') + 1] ?? 'input');
      return 1;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`carekit: ${(error as Error).message}\n\n${HELP[command ?? 'main'] ?? HELP.main}`);
      return 2;
    }
    if (error instanceof FileError) {
      console.error(`carekit: ${error.file}: ${error.message}`);
      return 3;
    }
    const code = (error as { code?: unknown })?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      // A system error not tied to one of our reads (a stream failing midway).
      console.error(`carekit: ${systemMessage(error)}`);
      return 3;
    }
    console.error(
      `carekit: ${systemMessage(error)}${debug ? '' : ' (run again with --debug for the stack trace)'}`,
    );
    return 1;
  }
}

const invoked = process.argv[1] ? resolve(process.argv[1]) : '';
if (
  invoked &&
  (import.meta.url === pathToFileURL(invoked).href ||
    invoked.endsWith('/carekit') ||
    invoked.endsWith('carekit.js'))
) {
  process.exitCode = await main(process.argv.slice(2));
}
