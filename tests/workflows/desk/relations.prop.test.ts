import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { propertyRuns, propertyTimeout } from '../../support/runs.js';
import { arbOp, outcomes, run } from './relations.js';

describe('ticket relations', () => {
  test.prop([fc.array(arbOp, { minLength: 1, maxLength: 14 })], propertyRuns(60, 40))(
    'over merges, splits and links among ordinary events: no customer message is lost or duplicated, replay equals live, a refused operation changes nothing, no cycle, parents current, no parent auto-solved before its children',
    (ops) => run(ops),
    propertyTimeout(70_000),
  );

  test('the generator reaches merges, splits and links both done and refused', {
    timeout: propertyTimeout(60_000),
  }, async () => {
    // The property's own runs are random and few under CI (30 cases once missed every split that
    // succeeds), so the generator's reach is checked on a fixed sample of its own, run here: the
    // same cases on every machine, whatever the property happened to draw.
    for (const ops of fc.sample(fc.array(arbOp, { minLength: 1, maxLength: 14 }), {
      seed: 20261203,
      numRuns: 40,
    }))
      await run(ops);
    // Unlinks are counted too but not required: a successful one needs a link first, and can be rare.
    for (const op of ['merge', 'split', 'link'])
      for (const outcome of ['done', 'refused'])
        expect(outcomes.get(`${op}:${outcome}`) ?? 0, `${op}:${outcome}`).toBeGreaterThan(0);
    // Parents (and children) left pending past their timeout, the hold and sync laws' cases, are
    // counted in `wait:parent` / `wait:child` (printed with RELATIONS_STATS=1).
    if (process.env.RELATIONS_STATS) console.log(Object.fromEntries([...outcomes].sort()));
  });
});
