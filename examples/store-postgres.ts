// A desk on PostgreSQL: embedded PGlite here (in memory; `new PGlite('./care-data')` keeps files),
// the same code on a server with `pgPoolClient(new pg.Pool(...))`. Effects go through the outbox,
// drained by two workers; a damaged snapshot is rebuilt from the event log.
import { PGlite } from '@electric-sql/pglite';
import { createPostgresStore, migrate, pgliteClient } from 'carekit/store-postgres';
import { createDesk, createTicketWorkflow } from 'carekit/workflows';

const db = await PGlite.create();
const client = pgliteClient(db);
console.log('migrate:', JSON.stringify(await migrate(client)));
console.log('again:  ', JSON.stringify(await migrate(client)));

const store = createPostgresStore(client);
const desk = createDesk({
  store,
  agents: [{ id: 'ana', name: 'Ana' }],
  lifecycle: { acknowledgeTemplate: 'acknowledgement' },
});

// The desk returns effects, and the store wrote the same effects to its outbox in the save's
// transaction: perform them from the outbox (as here) rather than from the returned list.
for (let n = 1; n <= 3; n++) {
  await desk.receive({
    externalId: `mail-${n}`,
    channel: 'email',
    customer: { id: `cus-${n}` },
    subject: 'Where is my order?',
    body: `Order #${4400 + n} has not arrived.`,
    at: `2026-03-10T09:0${n}:00-04:00`,
  });
}

const perform = async (worker: string) => {
  let done = 0;
  for (;;) {
    const claimed = await store.claimEffects(worker, { limit: 2, leaseMs: 30_000 });
    if (claimed.length === 0) return done;
    for (const { effect } of claimed) {
      // Send the mail, post to chat... keyed by the effect's id so the receiver can drop a repeat.
      console.log(`${worker} performs ${effect.type} for ${effect.ticketId} (${effect.id})`);
    }
    done += (
      await store.completeEffects(
        claimed.map((c) => c.id),
        { workerId: worker },
      )
    ).length;
  }
};
const [first, second] = await Promise.all([perform('worker-1'), perform('worker-2')]);
console.log(`outbox drained: ${first + second} effects, each by one worker`);

// Damage a snapshot by hand, then rebuild it from the log.
const ticketId = (await store.findByExternalId('email:mail-1')) as string;
await client.query(
  `UPDATE carekit.tickets SET snapshot = jsonb_set(snapshot::jsonb, '{status}', '"closed"') WHERE ticket_id = $1`,
  [ticketId],
);
console.log(`damaged: ${(await store.load(ticketId))?.snapshot.status}`);
const rebuilt = await store.rebuild(
  ticketId,
  createTicketWorkflow({ acknowledgeTemplate: 'acknowledgement' }),
);
console.log(
  `rebuilt from ${(await store.ticketEvents(ticketId)).length} events: ${rebuilt.snapshot.status} (changed: ${rebuilt.changed})`,
);

await db.close();
