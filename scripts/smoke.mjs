// Packs the package, installs the tarball into a fresh folder and imports every subpath
// with both `import` and `require`, the way a user's project would. Then type-checks a strict
// consumer (strict, exactOptionalPropertyTypes, skipLibCheck false) that imports every subpath,
// under moduleResolution node16 and bundler.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
  strictConsumer(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A strict user's project: `tsc` with `skipLibCheck: false` reads every declaration file that
 * carekit's declarations pull in. xstate's do not compile under `exactOptionalPropertyTypes`, so
 * every subpath but `carekit/workflows/machine` must stay free of them; that subpath is checked
 * with `skipLibCheck: true`, as XState's own users under those settings need.
 */
function strictConsumer(dir) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // Their declarations name a library whose own declarations need skipLibCheck: xstate's (under
  // exactOptionalPropertyTypes) and PGlite's (Emscripten's types).
  const lenient = ['carekit/workflows/machine', 'carekit/store-postgres/node'];
  const typed = subpaths.filter((s) => !lenient.includes(s));
  const body = (imports) => `${imports}
import { createTicketWorkflow } from 'carekit/workflows';
import { toMermaid } from 'carekit/review';
const tickets = createTicketWorkflow();
export const id: string = tickets.machine.id;
export const diagram: string = toMermaid(tickets.machine);
export const statuses: string[] = Object.keys(tickets.machine.root.states);
`;
  writeFileSync(
    join(dir, 'consumer.ts'),
    body(
      typed
        .map((s, i) => `import * as m${i} from '${s}';\nexport const k${i} = Object.keys(m${i});`)
        .join('\n'),
    ),
  );
  // carekit/store-postgres/node's declarations name PGlite (an optional peer the user installs).
  mkdirSync(join(dir, 'node_modules', '@electric-sql'), { recursive: true });
  symlinkSync(
    join(root, 'node_modules', '@electric-sql', 'pglite'),
    join(dir, 'node_modules', '@electric-sql', 'pglite'),
  );
  writeFileSync(
    join(dir, 'machine.ts'),
    `import type { AnyStateMachine } from 'xstate';
import { createTicketWorkflow } from 'carekit/workflows';
import { type TicketMachine, ticketMachine } from 'carekit/workflows/machine';
import * as node from 'carekit/store-postgres/node';
const machine: TicketMachine = ticketMachine(createTicketWorkflow());
export const any: AnyStateMachine = machine.provide({});
export const keys = Object.keys(node);
`,
  );
  const strict = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
    target: 'ES2022',
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  const projects = [
    // ESM only: under node16, a CommonJS file that reaches date-fns's index.d.cts fails in
    // date-fns's own declarations (TS1479, they re-export ES modules), whatever carekit does.
    ['node16', { ...strict, module: 'node16', moduleResolution: 'node16' }, ['consumer.ts']],
    ['bundler', { ...strict, module: 'esnext', moduleResolution: 'bundler' }, ['consumer.ts']],
    [
      'workflows/machine and store-postgres/node (skipLibCheck)',
      { ...strict, skipLibCheck: true, module: 'node16', moduleResolution: 'node16' },
      ['machine.ts'],
    ],
  ];
  for (const [i, [name, compilerOptions, files]] of projects.entries()) {
    const config = join(dir, `tsconfig.strict-${i}.json`);
    writeFileSync(config, JSON.stringify({ compilerOptions, files }, null, 2));
    try {
      execFileSync(process.execPath, [tsc, '-p', config], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      throw new Error(`the strict consumer (${name}) does not compile:\n${error.stdout}${error.stderr}`);
    }
    console.log(`types ok: strict consumer, ${name}, ${files.join(' + ')}`);
  }
}
