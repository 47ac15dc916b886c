// The review document's hash covers the retention schedule: a changed schedule is a changed desk.
import { describe, expect, it } from 'vitest';
import { describeDesk, deskHash } from '../../src/review/index.js';

const base = { name: 'Loja Azul', agents: [{ id: 'ana', name: 'Ana' }] };
const policy = (olderThan: string, action: 'anonymise' | 'delete' = 'anonymise') => ({
  ...base,
  retention: { rules: [{ when: { status: 'closed', olderThan }, action }] },
});
const statedHash = (config: unknown) => /desk hash `([0-9a-f]{16})`/.exec(describeDesk(config))?.[1];

describe('deskHash and the retention schedule', () => {
  it('changes when the schedule is added, its age or its action changes', () => {
    const hashes = [base, policy('P2Y'), policy('P3Y'), policy('P2Y', 'delete')].map((c) => deskHash(c));
    expect(new Set(hashes).size).toBe(4);
    expect(deskHash(policy('P2Y'))).toBe(deskHash(structuredClone(policy('P2Y'))));
  });

  it('is the hash the review document states, and the document describes the schedule', () => {
    for (const config of [base, policy('P2Y'), policy('P3Y')])
      expect(statedHash(config)).toBe(deskHash(config).slice(0, 16));
    expect(describeDesk(policy('P3Y'))).toMatch(/closed tickets older than 3 years are anonymised/);
  });
});
