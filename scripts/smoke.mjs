// Packs the package, installs the tarball into a fresh folder and imports every subpath
// with both `import` and `require`, the way a user's project would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'carekit' : `carekit/${key.slice(2)}`));

const dir = mkdtempSync(join(tmpdir(), 'carekit-smoke-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], root));
  const tarball = join(dir, packed[0].filename);
  console.log(
    `packed ${packed[0].filename}: ${packed[0].entryCount} files, ${(packed[0].size / 1024).toFixed(1)} KiB`,
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smoke', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], dir);

  const esm = subpaths.map((s, i) => `import * as m${i} from '${s}';`).join('\n');
  const esmCheck = subpaths
    .map((s, i) => `if (typeof m${i} !== 'object') throw new Error('${s} did not load');`)
    .join('\n');
  writeFileSync(
    join(dir, 'esm.mjs'),
    `${esm}\n${esmCheck}\nimport { parseTicketEvent } from 'carekit/model';\nconst e = parseTicketEvent({ type: 'clock.tick', id: 'e', ticketId: 't', at: '2025-01-01T00:00:00Z' });\nif (e.at !== 1735689600000) throw new Error('ESM parse failed');\nconsole.log('esm ok: ${subpaths.length} subpaths');\n`,
  );
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `${subpaths.map((s) => `if (typeof require('${s}') !== 'object') throw new Error('${s}');`).join('\n')}\nconst { parseTicketEvent } = require('carekit/model');\nif (parseTicketEvent({ type: 'clock.tick', id: 'e', ticketId: 't', at: 0 }).at !== 0) throw new Error('CJS parse failed');\nconsole.log('cjs ok: ${subpaths.length} subpaths');\n`,
  );
  process.stdout.write(run('node', ['esm.mjs'], dir));
  process.stdout.write(run('node', ['cjs.cjs'], dir));
  // The bin, as `npx carekit` runs it.
  const usage = run(join(dir, 'node_modules', '.bin', 'carekit'), ['--help'], dir);
  if (!usage.includes('carekit review')) throw new Error('the carekit command did not print its usage');
  console.log('bin ok: carekit --help');
  // The Postgres store from the package, on the PGlite the user passes in (an optional peer, not
  // installed with carekit: taken here from this project's own node_modules).
  const pglite = pathToFileURL(
    join(root, 'node_modules', '@electric-sql', 'pglite', 'dist', 'index.js'),
  ).href;
  writeFileSync(
    join(dir, 'store.mjs'),
    `import { PGlite } from '${pglite}';
import { createDesk } from 'carekit/workflows';
import { createPostgresStore, migrate, pgliteClient } from 'carekit/store-postgres';
const client = pgliteClient(await PGlite.create());
await migrate(client);
const store = createPostgresStore(client);
const desk = createDesk({ store, agents: [{ id: 'a1', name: 'Ana' }] });
const { ticket } = await desk.receive({ externalId: 'm1', channel: 'email', customer: { id: 'c1' }, body: 'Hi', at: 0 });
if ((await store.load(ticket.ticketId))?.version !== 1) throw new Error('the Postgres store did not keep the ticket');
console.log('store-postgres ok: a desk on PGlite');
`,
  );
  process.stdout.write(run('node', ['store.mjs'], dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
