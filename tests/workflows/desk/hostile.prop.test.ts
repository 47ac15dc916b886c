// The desk in a hostile world on the memory store (the laws are in hostile.ts). With
// HOSTILE_STATS=1 the test prints what the runs exercised.
import { test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/workflows/index.js';
import { propertyRuns, propertyTimeout } from '../../support/runs.js';
import { arbCommands, hasOutbox, runHostile, stats } from './hostile.js';

afterAll(() => {
  if (process.env.HOSTILE_STATS) console.log(Object.fromEntries([...stats].sort()));
});

describe('the desk in a hostile world (memory store)', () => {
  test.prop([arbCommands(40)], propertyRuns(60))(
    'after any interleaving of receives, handles, ticks, restarts and refused calls, no message is lost, no refused call leaves a trace, effects are unique, agents stay within capacity and a restarted desk decides as one that never stopped',
    (commands) => runHostile(async () => [createMemoryStore(), createMemoryStore()], commands),
    propertyTimeout(50_000),
  );
});

describe('the outbox of the memory store', () => {
  it('lists every recorded effect (store.effects()), as the desk contract says', () => {
    expect(hasOutbox(createMemoryStore())).toBe(true);
  });
});
