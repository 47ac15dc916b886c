// One desk worker in its own process, over a PostgreSQL server: the deployment docs/store.md
// recommends (several workers behind a load balancer, one database). It takes a JSON file of
// calls, runs them with many in flight at once (as a web server does; each ticket's own calls in
// order), and prints one JSON line per call it finished. The parent may SIGKILL it mid-batch and
// start it again over the same calls (a redelivery): every call must be idempotent.
//
//   node --import tsx worker.ts <url> <schema> <calls.json> <workerId>
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createPostgresStore, pgPoolClient } from '../../../src/store-postgres/index.js';
import { createDesk, type DeskEffect } from '../../../src/workflows/index.js';
import { AGENTS, type Call, deskOptions, IN_FLIGHT } from './traffic.js';

const [url, schema, file, workerId] = process.argv.slice(2) as [string, string, string, string];
const calls = JSON.parse(readFileSync(file, 'utf8')) as Call[];
const pool = new pg.Pool({ connectionString: url, max: 4 });
const store = createPostgresStore(pgPoolClient(pool), { schema });
const desk = createDesk({ store, agents: AGENTS, ...deskOptions });

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const ids = (effects: readonly DeskEffect[]) => effects.map((e) => e.id);

/** A message for a ticket another worker has not opened yet waits for it, as a queue redelivers. */
async function handleWhenOpened(call: Extract<Call, { kind: 'handle' }>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await desk.handle(call.event);
    } catch (error) {
      if ((error as { code?: string }).code !== 'unknown_ticket' || attempt > 600) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function run(call: Call): Promise<void> {
  if (call.kind === 'receive') {
    const r = await desk.receive(call.contact);
    print({ worker: workerId, call: call.id, ticketId: r.ticket.ticketId, effects: ids(r.effects) });
  } else if (call.kind === 'handle') {
    const r = await handleWhenOpened(call);
    print({
      worker: workerId,
      call: call.id,
      ticketId: r.ticket.ticketId,
      effects: ids(r.effects),
      ...(r.rejected ? { rejected: r.rejected.code } : {}),
    });
  } else {
    const r = await desk.tick({ now: call.at });
    print({ worker: workerId, call: call.id, effects: ids(r.effects) });
  }
}

// Calls grouped by ticket keep their order; groups run at once, IN_FLIGHT at a time.
const groups = new Map<string, Call[]>();
for (const call of calls) {
  const key = call.kind === 'tick' ? `tick:${call.id}` : call.group;
  groups.set(key, [...(groups.get(key) ?? []), call]);
}
const queue = [...groups.values()];
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
      for (const call of group) await run(call);
    }
  }),
);
await pool.end();
print({ worker: workerId, done: true });
