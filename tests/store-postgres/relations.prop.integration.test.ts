// The relation laws of tests/workflows/desk/relations.prop.test.ts on the Postgres store
// (PGlite): merges, splits and links among ordinary events keep every customer message in
// exactly one thread, replay equal to live, refusals without trace and the graph without cycle.
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe } from 'vitest';
import { propertyRuns, propertyTimeout, slow } from '../support/runs.js';
import { arbOp, run } from '../workflows/desk/relations.js';
import { freshStore, sharedPglite } from './pglite.js';

beforeAll(() => sharedPglite(), slow(60_000));
afterAll(async () => {
  await (await sharedPglite()).close();
});

describe('ticket relations on the Postgres store (PGlite)', () => {
  test.prop([fc.array(arbOp, { minLength: 1, maxLength: 10 })], propertyRuns(12, 40))(
    'no customer message is lost or duplicated, replay equals live, a refused operation changes nothing, no cycle',
    (ops) => run(ops, async () => (await freshStore()).store),
    propertyTimeout(90_000),
  );
});
