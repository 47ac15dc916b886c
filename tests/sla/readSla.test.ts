// readSla at chosen instants: the next change it announces, clocks the policy does not measure or
// sets no target for, paused clocks, and its refusals.
import { describe, expect, it } from 'vitest';
import { createSlaPolicy, foldSla, readSla } from '../../src/sla/index.js';
import { agentReplied, opened } from './ticketEvents.js';

const H = 3_600_000;
const policy = createSlaPolicy({
  id: 'p',
  calendar: null,
  warnAt: 0.5,
  firstReply: { targets: { normal: { hours: 4 } } },
  resolution: { targets: { urgent: { hours: 8 } } },
});
const ctx = { policy };
const fresh = foldSla(policy, [opened(0)], {});

describe('readSla', () => {
  it('announces the warning, then the breach, then nothing', () => {
    expect(readSla(fresh, ctx, { now: 0 }).nextChangeAt).toBe(2 * H);
    expect(readSla(fresh, ctx, { now: 2 * H - 1 }).nextChangeAt).toBe(2 * H);
    expect(readSla(fresh, ctx, { now: 2 * H }).nextChangeAt).toBe(4 * H);
    expect(readSla(fresh, ctx, { now: 3 * H }).nextChangeAt).toBe(4 * H);
    expect(readSla(fresh, ctx, { now: 4 * H }).nextChangeAt).toBe(null);
    expect(readSla(fresh, ctx, { now: 4 * H }).clocks.firstReply).toMatchObject({
      status: 'breached',
      breachedAt: 4 * H,
      elapsedMs: 4 * H,
      remainingMs: 0,
    });
  });

  it('announces the warning before 1970 too, past a clock with nothing to announce', () => {
    // Opened at 23:00 on 31 December 1969: the warning at 01:00, the breach at 03:00 (epoch ms 0 between).
    const early = foldSla(policy, [opened(-H)], {});
    expect(readSla(early, ctx).nextChangeAt).toBe(H);
    expect(readSla(early, ctx, { now: 2 * H }).nextChangeAt).toBe(3 * H);
  });

  it('announces nothing for a clock that no longer counts', () => {
    const answered = foldSla(policy, [opened(0), agentReplied(H, { status: 'pending' })], {});
    const report = readSla(answered, ctx, { now: H });
    expect(report.clocks.firstReply).toMatchObject({ status: 'fulfilled', dueAt: null, remainingMs: 3 * H });
    expect(report.nextChangeAt).toBe(null);
  });

  it('reports a clock with no target for the priority as inactive, with no remaining time', () => {
    expect(readSla(fresh, ctx, { now: H }).clocks.resolution).toMatchObject({
      status: 'inactive',
      targetMs: null,
      remainingMs: null,
      dueAt: null,
    });
  });

  it('reports a clock the policy does not measure as not measured at all', () => {
    expect(readSla(fresh, ctx, { now: H }).clocks.nextReply).toEqual({
      status: 'inactive',
      targetMs: null,
      dueAt: null,
      elapsedMs: 0,
      remainingMs: null,
      startedAt: null,
      warnedAt: null,
      breachedAt: null,
      fulfilledAt: null,
      cycles: 0,
      breaches: 0,
    });
  });

  it('reads a clock an edited policy of the same id no longer measures as not measured', () => {
    const edited = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { normal: { hours: 8 } } },
    });
    expect(readSla(fresh, { policy: edited }, { now: H }).clocks.firstReply).toEqual(
      readSla(fresh, ctx, { now: H }).clocks.nextReply,
    );
    expect(readSla(fresh, { policy: edited }, { now: 3 * H }).nextChangeAt).toBe(null);
  });

  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as { code: string; path: unknown; message: string };
    }
    throw new Error('readSla accepted it');
  };

  it('names itself and the argument it refuses, in both forms', () => {
    expect(refusal(() => readSla('x' as never, ctx)).message).toMatch(/^readSla: state/);
    expect(refusal(() => readSla(fresh, { policy: 1 } as never)).message).toMatch(/^readSla: ctx.policy/);
    // The positional form: an instant where the context would be.
    const positional = refusal(() => readSla(fresh, Number.NaN, ctx));
    expect(positional.path).toEqual(['now']);
    expect(positional.message).toMatch(/^readSla: now/);
    // Neither an instant nor an object: read as the positional form's bad instant.
    expect(refusal(() => readSla(fresh, 'tomorrow' as never, ctx)).path).toEqual(['now']);
    expect(refusal(() => readSla(fresh, ctx, { now: 'tomorrow' as never })).message).toContain('readSla');
  });
});
