// Reads a Zendesk export through carekit's reader and mapping and reports the peak memory, to show
// that reading runs in flat memory whatever the export's size (the whole import, store included,
// is measured with `/usr/bin/time -v carekit import ...`, see docs/import.md):
//   npx tsx scripts/measure-import-memory.ts read <export.json> [mapping.json]
//   npx tsx scripts/measure-import-memory.ts import <export.json> <mapping.json> <desk.json> <pglite-dir>
// (`import` writes into a PGlite directory: the JS heap is the importer's, the RSS adds PGlite's
// WebAssembly memory, which grows with the database's cache.)
import { createReadStream, readFileSync, statSync } from 'node:fs';
import {
  createImportLifecycle,
  importTickets,
  parseImportMapping,
  readJsonRecords,
  readZendesk,
  readZendeskPeople,
} from '../src/import/index.js';

const [mode, file, mappingFile, deskFile, dbDir] = process.argv.slice(2);
if ((mode !== 'read' && mode !== 'import') || file === undefined) {
  console.error(
    'usage: tsx scripts/measure-import-memory.ts read|import <export.json> [mapping.json desk.json pglite-dir]',
  );
  process.exit(2);
}
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const timer = setInterval(sample, 200);
async function* chunks() {
  for await (const chunk of createReadStream(file as string, { highWaterMark: 1 << 20 }))
    yield chunk as Uint8Array;
}

const started = Date.now();
const mapping = parseImportMapping(
  'zendesk',
  mappingFile ? JSON.parse(readFileSync(mappingFile, 'utf8')) : {},
);
let records = 0;
// As the command does: the users and organizations first (the one part that grows with the export).
const people = await readZendeskPeople(readJsonRecords(chunks()));
sample();
const peopleAt = Date.now();
console.log(
  `people: ${people.users.size.toLocaleString('en-US')} users, ${people.organizations.size} organizations in ${((peopleAt - started) / 1000).toFixed(1)} s; peak heap ${(peakHeap / 1024 / 1024).toFixed(0)} MB`,
);
if (mode === 'read') {
  for await (const item of readZendesk(readJsonRecords(chunks()), mapping, { people })) {
    records++;
    if (item.kind === 'events' && records % 50_000 === 0) sample();
  }
} else {
  const { createPostgresStore, migrate } = await import('../src/store-postgres/index.js');
  const { openPgliteDirectory } = await import('../src/store-postgres/node/index.js');
  const opened = await openPgliteDirectory(dbDir as string);
  await migrate(opened.client);
  const lifecycle = createImportLifecycle(JSON.parse(readFileSync(deskFile as string, 'utf8')));
  const summary = await importTickets(
    createPostgresStore(opened.client),
    readZendesk(readJsonRecords(chunks()), mapping, {
      people,
      segments: lifecycle.config.segments?.passThrough ?? [],
    }),
    {
      lifecycle,
      batchSize: 1000,
    },
  );
  records = summary.items;
  await opened.close();
}
sample();
clearInterval(timer);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `${mode}: ${mb(statSync(file).size)} export, ${records.toLocaleString('en-US')} items in ${((Date.now() - started) / 1000).toFixed(1)} s; peak RSS ${mb(peakRss)}, peak heap ${mb(peakHeap)}`,
);
