import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTicketWorkflow, type TicketSnapshot } from '../../src/workflows/index.js';
import { propertyRuns, propertyTimeout, slow } from '../support/runs.js';
import { arbEvent, arbOps, checkInterleavings, checkNoLostUpdate } from '../workflows/desk/concurrency.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

const T0 = Date.parse('2026-11-23T09:00:00Z');
const wf = createTicketWorkflow();
const opened = {
  type: 'ticket.opened',
  id: 'T-1:opened',
  ticketId: 'T-1',
  at: T0,
  channel: 'email',
  subject: 'Help',
  body: 'Where is my order?',
  customer: { id: 'c1' },
} as const;

// Any UTF-16 code unit: NUL, control characters and lone surrogates included.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const text = fc.oneof(fc.string({ unit: codeUnit, maxLength: 8 }), fc.string({ maxLength: 8 }));
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    text,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(text, tie('json'), { maxKeys: 4 }),
  ),
}));

describe('snapshots as jsonb', () => {
  test.prop([json, text], propertyRuns(150))(
    'a snapshot holding any JSON value reads back as its JSON round trip',
    async (value, subject) => {
      const { store } = await storeOnce();
      const base = wf.start({ ...opened, subject }).snapshot;
      const snapshot = {
        ...base,
        context: { ...base.context, sla: value, tags: [subject] },
      } as TicketSnapshot;
      const id = `T-${++saved}`;
      const result = await store.save(id, 0, {
        snapshot,
        workflowKey: 'k',
        dueAt: null,
        customerId: 'c1',
        externalId: null,
        events: [{ ...opened, subject }],
      });
      expect(result.ok).toBe(true);
      expect((await store.load(id))?.snapshot).toStrictEqual(JSON.parse(JSON.stringify(snapshot)));
      expect((await store.ticketEvents(id))[0]).toStrictEqual({ ...opened, subject });
    },
    propertyTimeout(60_000),
  );
});

let saved = 0;
let shared: ReturnType<typeof freshStore> | undefined;
const storeOnce = () => {
  shared ??= freshStore();
  return shared;
};

describe('concurrency on the Postgres store', () => {
  test.prop([fc.scheduler(), fc.array(arbEvent, { minLength: 2, maxLength: 5 })], propertyRuns(25))(
    'concurrent handles of one ticket never lose an update: every event is stored once and the snapshot is the replay of the log',
    async (s, specs) => checkNoLostUpdate((await freshStore()).store, s, specs),
    propertyTimeout(60_000),
  );

  test.prop([fc.scheduler(), arbOps(10)], propertyRuns(25))(
    'for any interleaving of receive, handle and tick, every stored snapshot equals the replay of its stored events',
    async (s, ops) => checkInterleavings((await freshStore()).store, s, ops),
    propertyTimeout(60_000),
  );
});
