import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slow } from '../support/runs.js';

const root = resolve(import.meta.dirname, '../..');
const config = join(root, 'examples/loja-azul.desk.json');

/** Runs the command as a user would: a process, real files, exit code, stdout and stderr. */
function carekit(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/carekit.ts'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('carekit (the command line)', { timeout: slow(60_000) }, () => {
  it('prints help and uses exit code 2 for usage mistakes', () => {
    expect(carekit(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('carekit review') });
    expect(carekit(['report', '--help']).out).toContain('--events <file.ndjson>');
    expect(carekit(['frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command: frobnicate'),
    });
    expect(carekit(['validate'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--config <file> is required'),
    });
    expect(carekit(['validate', '--config', 'nope.json']).code).toBe(2);
    expect(carekit(['validate', '--confg', 'x']).code).toBe(2);
  });

  it('validates a configuration: 0 when valid, 1 with every problem and its path', () => {
    expect(carekit(['validate', '--config', config])).toMatchObject({
      code: 0,
      out: expect.stringContaining('valid (4 calendars, 3 SLA policies, 12 agents'),
    });
    const dir = mkdtempSync(join(tmpdir(), 'carekit-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        calendars: { office: { timeZone: 'Mars/Olympus', week: {} } },
        slaPolicies: [{ id: 'x', calendar: 'nope', firstReply: { targets: { normal: { hours: 1 } } } }],
        agents: [{ id: 'a', name: 'A', tier: 5 }],
        escalation: { tiers: [{ tier: 1, name: 'front' }] },
      }),
    );
    const result = carekit(['validate', '--config', bad]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('calendars.office.timeZone');
    expect(result.err).toContain('slaPolicies[0].calendar');
    expect(result.err).toContain('agents[0].tier');
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    expect(carekit(['validate', '--config', join(dir, 'broken.json')])).toMatchObject({
      code: 1,
      err: expect.stringContaining('not valid JSON'),
    });
  });

  it('reads a JavaScript module configuration (its default export)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carekit-cli-'));
    writeFileSync(
      join(dir, 'desk.config.mjs'),
      `export default { name: 'Small shop', agents: [{ id: 'ana', name: 'Ana' }] };\n`,
    );
    expect(carekit(['validate', '--config', join(dir, 'desk.config.mjs')])).toMatchObject({
      code: 0,
      out: expect.stringContaining('1 agents'),
    });
  });

  it('reviews a module that exports a running desk: its custom code named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carekit-cli-'));
    writeFileSync(
      join(dir, 'desk.mjs'),
      [
        `import { createDesk } from ${JSON.stringify(join(root, 'src/workflows/index.ts'))};`,
        `import { withSummary } from ${JSON.stringify(join(root, 'src/review/index.ts'))};`,
        "const vipFirst = withSummary({ name: 'vipFirst', test: () => true }, 'VIP customers first.');",
        "export default createDesk({ agents: [{ id: 'ana', name: 'Ana' }], router: { filters: [vipFirst] } });",
      ].join('\n'),
    );
    const out = join(dir, 'review');
    const result = carekit([
      'review',
      '--config',
      join(dir, 'desk.mjs'),
      '--out',
      out,
      '--name',
      'Small shop',
    ]);
    expect(result).toMatchObject({ code: 0 });
    const md = readFileSync(join(out, 'workflow.md'), 'utf8');
    expect(md).toContain('# Small shop: how customer care works');
    expect(md).toContain('`vipFirst` (**custom code**: VIP customers first.)');
  });

  it('writes what changed between two configurations, and refuses --diff with one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carekit-diff-'));
    const next = JSON.parse(readFileSync(config, 'utf8')) as {
      slaPolicies: { firstReply: { targets: Record<string, unknown> } }[];
    };
    (next.slaPolicies[0] as (typeof next.slaPolicies)[number]).firstReply.targets.urgent = { minutes: 15 };
    writeFileSync(join(dir, 'new.json'), JSON.stringify(next));
    const result = carekit(['review', '--diff', config, join(dir, 'new.json'), '--out', dir]);
    expect(result.code).toBe(0);
    const changes = readFileSync(join(dir, 'changes.md'), 'utf8');
    expect(changes).toContain('| SLA policy › `vip` › first reply › targets › urgent | 30 min | 15 min |');
    expect(changes).toContain('from `loja-azul.desk.json`');
    expect(carekit(['review', '--diff', config])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--diff takes two configurations'),
    });
  });

  it('writes the review: workflow.md, a self-contained workflow.html and Mermaid beside it', () => {
    const out = mkdtempSync(join(tmpdir(), 'carekit-review-'));
    const result = carekit(['review', '--config', config, '--out', out]);
    expect(result.code).toBe(0);
    const md = readFileSync(join(out, 'workflow.md'), 'utf8');
    for (const section of [
      '## Ticket lifecycle',
      '## SLA targets',
      '## Escalation',
      '## Routing',
      '## Response templates',
      '## KPI definitions',
    ]) {
      expect(md).toContain(section);
    }
    const html = readFileSync(join(out, 'workflow.html'), 'utf8');
    expect(html).toContain('<div class="diagram"><pre class="mermaid">');
    expect(html).toContain('<script src="mermaid.min.js"></script>');
    // Legible at the page's width: Mermaid draws labels at ≥ 80% of the body text and never
    // shrinks a diagram to fit (a wide one scrolls in its own box instead).
    const body = Number(/body \{[^}]*font-size: (\d+(?:\.\d+)?)px/.exec(html)?.[1]);
    const mermaidConfig = JSON.parse(/mermaid\.initialize\((\{.*\})\);/.exec(html)?.[1] ?? 'null') as {
      themeVariables: { fontSize: string };
      flowchart: { useMaxWidth: boolean };
    };
    expect(body).toBeGreaterThan(0);
    expect(Number.parseFloat(mermaidConfig.themeVariables.fontSize)).toBeGreaterThanOrEqual(0.8 * body);
    expect(mermaidConfig.flowchart.useMaxWidth).toBe(false);
    expect(html).toMatch(/\.table, \.diagram \{ overflow-x: auto;/);
    expect(html).toMatch(/carekit \d+\.\d+\.\d+ · desk hash <code>[0-9a-f]{16}<\/code> · \d{4}-\d{2}-\d{2}/);
    expect(readFileSync(join(out, 'mermaid.min.js'), 'utf8').length).toBeGreaterThan(100_000);
  });

  it('reports KPIs from an event log, naming bad lines and skipping them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carekit-report-'));
    const T0 = Date.parse('2026-11-23T12:00:00Z');
    const events = [
      {
        type: 'ticket.opened',
        id: 'e1',
        ticketId: 'T1',
        at: T0,
        channel: 'email',
        subject: 's',
        body: 'b',
        customer: { id: 'c1' },
      },
      {
        type: 'agent.replied',
        id: 'e2',
        ticketId: 'T1',
        at: T0 + 3_600_000,
        agentId: 'ana',
        body: 'done',
        status: 'solved',
      },
      {
        type: 'ticket.opened',
        id: 'e3',
        ticketId: 'T2',
        at: T0,
        channel: 'chat',
        subject: 's',
        body: 'b',
        customer: { id: 'c2' },
      },
    ];
    const lines = [
      ...events.map((e) => JSON.stringify(e)),
      'not json',
      JSON.stringify({ type: 'agent.replied', id: 'x' }),
      '',
    ];
    writeFileSync(join(dir, 'events.ndjson'), lines.join('\n'));
    const text = carekit(['report', '--events', join(dir, 'events.ndjson')]);
    expect(text.code).toBe(1);
    expect(text.err).toContain('line 4: not JSON, skipped');
    expect(text.err).toMatch(/line 5: .*skipped/);
    expect(text.out).toMatch(/First reply time\s+1\.0 h mean/);
    writeFileSync(join(dir, 'good.ndjson'), events.map((e) => JSON.stringify(e)).join('\n'));
    const json = carekit([
      'report',
      '--events',
      join(dir, 'good.ndjson'),
      '--format',
      'json',
      '--config',
      config,
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ tickets: 2, fcr: { value: 100 } });
    expect(carekit(['report', '--events', join(dir, 'good.ndjson'), '--format', 'md']).out).toContain(
      '| KPI | value | n | definition |',
    );
    expect(carekit(['report', '--events', join(dir, 'good.ndjson'), '--format', 'pdf']).code).toBe(2);
  });
});
