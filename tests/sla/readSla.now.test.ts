// `now` is an option of readSla and SlaEngine.read (the state first, the policy second, options
// last); the positional form still works for one release; an unknown option is refused.
import { describe, expect, it } from 'vitest';
import { CarekitArgumentError } from '../../src/model/index.js';
import { createSlaEngine, createSlaPolicy, initialSlaState, readSla, stepSla } from '../../src/sla/index.js';
import { customerReplied, opened } from './ticketEvents.js';

const H = 3_600_000;
const policy = createSlaPolicy({
  id: 'p',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
});
const ctx = { policy };
const state = stepSla(initialSlaState(opened(0), ctx), customerReplied(H), ctx);

function refusal(fn: () => unknown): CarekitArgumentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CarekitArgumentError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readSla(state, ctx, { now })', () => {
  it('reads at now given as epoch ms or a Date, the same report either way', () => {
    const ms = readSla(state, ctx, { now: 3 * H });
    expect(ms.at).toBe(3 * H);
    expect(ms.clocks.firstReply.elapsedMs).toBe(3 * H);
    expect(readSla(state, ctx, { now: new Date(3 * H) })).toEqual(ms);
  });

  it('reads at the last event without now', () => {
    expect(readSla(state, ctx).at).toBe(H);
    expect(readSla(state, ctx, {}).at).toBe(H);
  });

  it('the deprecated positional form gives the same report', () => {
    expect(readSla(state, 3 * H, ctx)).toEqual(readSla(state, ctx, { now: 3 * H }));
    expect(readSla(state, new Date(3 * H), ctx)).toEqual(readSla(state, ctx, { now: 3 * H }));
  });

  it('refuses an unknown option, a bad now and a non-object options bag', () => {
    const misspelt = refusal(() => readSla(state, ctx, { nwo: 3 * H } as never));
    expect(misspelt.code).toBe('unrecognized_keys');
    expect(misspelt.path).toEqual(['options', 'nwo']);
    expect(misspelt.message).toContain('allowed: now');
    const bad = refusal(() => readSla(state, ctx, { now: new Date(Number.NaN) }));
    expect(bad.code).toBe('invalid_instant');
    expect(bad.path).toEqual(['options', 'now']);
    expect(refusal(() => readSla(state, ctx, 'soon' as never)).code).toBe('invalid_type');
  });
});

describe('SlaEngine.read(state, { now })', () => {
  const engine = createSlaEngine(policy);
  it('matches readSla, in both forms, and refuses unknown options', () => {
    expect(engine.read(state, { now: 3 * H })).toEqual(readSla(state, ctx, { now: 3 * H }));
    expect(engine.read(state, 3 * H)).toEqual(readSla(state, ctx, { now: 3 * H }));
    expect(engine.read(state).at).toBe(H);
    expect(refusal(() => engine.read(state, { at: 3 * H } as never)).code).toBe('unrecognized_keys');
  });
});
