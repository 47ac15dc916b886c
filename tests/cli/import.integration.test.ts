// `carekit import` end to end: generated exports into PGlite (and into a PostgreSQL server when
// CAREKIT_PG_URL is set), then `carekit report --store` over the imported log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FixtureTruth, writeImportFixtures } from '../../scripts/generate-import-fixtures.js';
import { main } from '../../src/cli/carekit.js';
import { createPostgresStore, pgPoolClient } from '../../src/store-postgres/index.js';
import { openPgliteDirectory } from '../../src/store-postgres/node/index.js';
import { slow } from '../support/runs.js';

async function run(...args: string[]): Promise<{ code: number; err: string; out: string }> {
  const err: string[] = [];
  const out: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.map(String).join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.map(String).join(' ')));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk).trimEnd());
    return true;
  });
  try {
    const code = await main(args);
    return { code, err: err.join('\n'), out: out.join('\n') };
  } finally {
    write.mockRestore();
  }
}
afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'carekit-import-'));
let truth: Map<string, FixtureTruth>;
beforeAll(async () => {
  truth = await writeImportFixtures(join(dir, 'fx'), { tickets: 120, seed: 5, flaws: true });
}, slow(120_000));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fx = (name: string) => join(dir, 'fx', name);

describe('carekit import on PGlite', () => {
  const store = `pglite:${join(dir, 'db')}`;

  it('imports a Zendesk export, reports every record left out with its line, and compares the metrics', async () => {
    const { code, out, err } = await run(
      'import',
      '--from',
      'zendesk',
      fx('zendesk-ticket-events.json'),
      fx('zendesk-ticket-metrics.json'),
      '--config',
      fx('desk.json'),
      '--mapping',
      fx('zendesk-mapping.json'),
      '--store',
      store,
      '--batch',
      '50',
      '--problems',
      join(dir, 'problems.ndjson'),
      '--agents',
      join(dir, 'agents.json'),
    );
    expect(code).toBe(1);
    // The users sideloads (listed after each page's events) name the customers and agents.
    expect(out).toMatch(
      /^people: \d+ users \(6 agents\), \d organizations \(agents written to .*agents\.json\)$/m,
    );
    const agents = JSON.parse(readFileSync(join(dir, 'agents.json'), 'utf8'));
    expect(agents).toContainEqual({
      id: 'zd-agent-11',
      name: 'Bruno (support)',
      email: 'agent11@shop.example',
    });
    expect(out).toMatch(
      /^ {2}\d+ merged tickets left out \(carekit counts a merged pair once, as its target\)$/m,
    );
    // The broken record is reported; the ticket it belonged to lacks that update (or its creation).
    expect(out).toMatch(
      /^imported 1(19|20) new tickets \(\d+ updated\) with [\d,]+ events; 0 events were stored already$/m,
    );
    const left = /^not imported: (.*)$/m.exec(out)?.[1]?.split(', ').sort();
    expect(left?.filter((p) => !p.endsWith('no_opening'))).toEqual([
      '1 unmapped_field',
      '1 unmapped_status',
      '1 unreadable',
    ]);
    expect(out).toMatch(/ignored by design \(the source's own effects\): \d+ Notification/);
    expect(out).toMatch(/firstReply \(calendar\): 100 % of \d+ agree/);
    expect(out).toMatch(/firstResolution \(business\): 100 % of \d+ agree/);
    // A progress line per batch on stderr, and the problems with their file and line.
    expect(err).toMatch(
      /zendesk-ticket-events\.json: line [\d,]+, \d+ tickets created, [\d,]+ events, \d+ not imported, \d+ s/,
    );
    expect(err).toMatch(
      /zendesk-ticket-events\.json:5: record: the record is not valid JSON .* \[unreadable: invalid_json\]/,
    );
    const problems = readFileSync(join(dir, 'problems.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(problems.map((p) => p.code)).toContain('unmapped_status');
    expect(problems.every((p) => typeof p.line === 'number' && p.line > 0)).toBe(true);
  });

  it('stored the statuses of the export, and no effect', async () => {
    const opened = await openPgliteDirectory(join(dir, 'db'));
    try {
      const s = createPostgresStore(opened.client);
      let checked = 0;
      for (const [ticketId, t] of truth) {
        if (!ticketId.startsWith('zd-')) continue;
        const stored = await s.load(ticketId);
        if (stored === null) continue; // the ticket whose update was the broken record
        expect(stored.snapshot.status, ticketId).toBe(t.status);
        if (t.mergedInto !== undefined) {
          expect(stored.snapshot.context.mergedInto).toBe(`zd-${t.mergedInto}`);
          const target = await s.load(`zd-${t.mergedInto}`);
          if (target !== null) expect(target.snapshot.context.mergedFrom).toContain(ticketId);
        }
        // Read ahead of the tickets, the users sideloads name every customer.
        expect(stored.snapshot.context.customer.name, ticketId).toMatch(/^\S+ \S+/);
        expect(stored.snapshot.context.customer.email, ticketId).toMatch(
          new RegExp(`\\.${t.requester}@example\\.com$`),
        );
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(118);
      expect([...truth.values()].filter((t) => t.status === 'merged').length).toBeGreaterThanOrEqual(7);
      const effects = await opened.client.query('SELECT count(*)::int AS n FROM carekit.outbox');
      expect(effects.rows[0]).toEqual({ n: 0 });
    } finally {
      await opened.close();
    }
  });

  it('a second run adds nothing (a crashed import resumes this way)', async () => {
    const { out } = await run(
      'import',
      '--from',
      'zendesk',
      fx('zendesk-audits.json'),
      '--config',
      fx('desk.json'),
      '--mapping',
      fx('zendesk-mapping.json'),
      '--store',
      store,
    );
    // Only what the broken record held (it is whole in the audits) is new.
    const [, created, updated, added] =
      /^imported (\d+) new tickets \((\d+) updated\) with (\d+) events; [\d,]+ events were stored already$/m.exec(
        out,
      ) ?? [];
    expect(Number(created) + Number(updated)).toBeLessThanOrEqual(1);
    expect(Number(added)).toBeLessThan(20);
  });

  it('imports a Freshdesk export beside it, and carekit report reads the whole log', async () => {
    const fd = await run(
      'import',
      '--from',
      'freshdesk',
      fx('freshdesk-tickets.json'),
      '--config',
      fx('desk.json'),
      '--mapping',
      fx('freshdesk-mapping.json'),
      '--store',
      store,
      '--format',
      'json',
    );
    const summary = JSON.parse(fd.out);
    expect([summary.created, summary.problems]).toEqual([120, { unmapped_field: 1, unknown_record: 1 }]);
    const report = await run('report', '--store', store, '--config', fx('desk.json'), '--format', 'json');
    expect(report.code).toBe(0);
    expect(report.err).toMatch(/^[\d,]+ events, 240 tickets$/m);
    const kpis = JSON.parse(report.out);
    expect(kpis.firstReplyTime.n).toBeGreaterThan(150);
  });

  it('refuses a bad mapping with its path, and a bad store with what to write', async () => {
    const bad = await run(
      'import',
      '--from',
      'zendesk',
      fx('zendesk-audits.json'),
      '--config',
      fx('desk.json'),
      '--mapping',
      fx('desk.json'),
      '--store',
      store,
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/desk\.json: \d+ problems?\n/);
    expect(bad.err).toMatch(
      /\n {2}- \(root\): has unknown keys "name", "calendars", "segments", "kpis" .*\[unrecognized_keys\]/,
    );
    const usage = await run(
      'import',
      '--from',
      'zendesk',
      fx('zendesk-audits.json'),
      '--config',
      fx('desk.json'),
      '--store',
      'mysql://x',
    );
    expect([usage.code, usage.err.split('\n')[0]]).toEqual([
      2,
      'carekit: --store is postgres://… or pglite:<dir>, not "mysql://x"',
    ]);
    const from = await run('import', '--from', 'helpscout', fx('zendesk-audits.json'), '--store', store);
    expect(from.code).toBe(2);
  });
});

const url = process.env.CAREKIT_PG_URL;
describe.runIf(url)('carekit import on a PostgreSQL server', () => {
  const schema = `import_test_${process.pid}`;
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('imports, resumes and reports on the server', async () => {
    const args = [
      '--config',
      fx('desk.json'),
      '--mapping',
      fx('zendesk-mapping.json'),
      '--store',
      url as string,
      '--schema',
      schema,
    ];
    const first = await run(
      'import',
      '--from',
      'zendesk',
      fx('zendesk-ticket-events.json'),
      fx('zendesk-ticket-metrics.json'),
      ...args,
    );
    expect(first.out).toMatch(/^imported 1(19|20) new tickets/m);
    expect(first.out).toMatch(/fullResolution \(calendar\): 100 % of \d+ agree/);
    const again = await run('import', '--from', 'zendesk', fx('zendesk-ticket-events.json'), ...args);
    expect(again.out).toMatch(
      /^imported 0 new tickets \(0 updated\) with 0 events; [\d,]+ events were stored already$/m,
    );
    const pool = new pg.Pool({ connectionString: url });
    try {
      const store = createPostgresStore(pgPoolClient(pool), { schema });
      for (const [ticketId, t] of truth) {
        if (!ticketId.startsWith('zd-')) continue;
        const stored = await store.load(ticketId);
        if (stored !== null) expect(stored.snapshot.status, ticketId).toBe(t.status);
      }
    } finally {
      await pool.end();
    }
    const report = await run(
      'report',
      '--store',
      url as string,
      '--schema',
      schema,
      '--config',
      fx('desk.json'),
    );
    expect(report.err).toMatch(/^[\d,]+ events, 1(19|20) tickets$/m);
  });
});
if (!url) console.warn('Skipping carekit import on a PostgreSQL server: CAREKIT_PG_URL is not set.');
