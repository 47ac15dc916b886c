import { fc, test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { createMemoryStore } from '../../../src/workflows/index.js';
import { propertyRuns } from '../../support/runs.js';
import { arbEvent, arbOps, checkInterleavings, checkNoLostUpdate } from './concurrency.js';

describe('concurrency', () => {
  test.prop([fc.scheduler(), fc.array(arbEvent, { minLength: 2, maxLength: 5 })], propertyRuns(60))(
    'concurrent handles of one ticket never lose an update: every event is stored once and the snapshot is the replay of the log',
    (s, specs) => checkNoLostUpdate(createMemoryStore(), s, specs),
  );

  test.prop([fc.scheduler(), arbOps(12)], propertyRuns(60))(
    'for any interleaving of receive, handle and tick, every stored snapshot equals the replay of its stored events',
    (s, ops) => checkInterleavings(createMemoryStore(), s, ops),
  );
});
