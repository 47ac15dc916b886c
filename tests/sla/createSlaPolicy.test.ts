import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../src/model/index.js';
import {
  createSlaPolicy,
  resolveClockMeasure,
  type SlaPolicyConfig,
  selectSlaPolicy,
  slaPolicyApplies,
} from '../../src/sla/index.js';

const H = 3_600_000;

function issuesOf(config: unknown) {
  try {
    createSlaPolicy(config as SlaPolicyConfig);
  } catch (error) {
    if (error instanceof CarekitValidationError)
      return error.issues.map(({ code, path }) => ({ code, path }));
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('createSlaPolicy', () => {
  it('converts durations to ms and applies the documented defaults', () => {
    const policy = createSlaPolicy({
      id: 'standard',
      name: 'Standard',
      calendar: 'support-hours',
      firstReply: { targets: { urgent: { hours: 1 }, normal: { days: 1, hours: 2 } } },
      periodicUpdate: { targets: { normal: { hours: 24 } }, calendar: null, warnAt: 0.5 },
      resolution: { targets: { normal: { hours: 40 } }, pauseIn: ['pending'] },
    });
    expect(policy).toEqual({
      id: 'standard',
      name: 'Standard',
      when: null,
      botRepliesCount: false,
      clocks: {
        firstReply: {
          targetsMs: { urgent: H, normal: 26 * H },
          calendar: 'support-hours',
          pauseIn: [],
          warnAt: 0.75,
        },
        nextReply: null,
        periodicUpdate: {
          targetsMs: { normal: 24 * H },
          calendar: null,
          pauseIn: ['pending', 'on_hold'],
          warnAt: 0.5,
        },
        resolution: {
          targetsMs: { normal: 40 * H },
          calendar: 'support-hours',
          pauseIn: ['pending'],
          warnAt: 0.75,
        },
      },
    });
  });

  it('is plain JSON', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      resolution: { targets: { low: { weeks: 1 } } },
    });
    expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
    expect(policy.clocks.resolution?.targetsMs.low).toBe(7 * 24 * H);
  });

  it('refuses a policy without clocks', () => {
    expect(issuesOf({ id: 'p', calendar: null })).toEqual([{ code: 'empty_policy', path: [] }]);
  });

  it('refuses targets under a second, with the path of each', () => {
    expect(
      issuesOf({
        id: 'p',
        calendar: null,
        firstReply: { targets: { high: { seconds: 0.5 }, low: { hours: 0 } } },
      }),
    ).toEqual([
      { code: 'target_too_short', path: ['firstReply', 'targets', 'low'] },
      { code: 'target_too_short', path: ['firstReply', 'targets', 'high'] },
    ]);
  });

  it('refuses unknown statuses, repeated statuses, bad warnings and unknown keys', () => {
    expect(issuesOf({ id: 'p', calendar: null, resolution: { targets: {}, pauseIn: ['solved'] } })).toEqual([
      { code: 'invalid_value', path: ['resolution', 'pauseIn', 0] },
    ]);
    expect(
      issuesOf({ id: 'p', calendar: null, resolution: { targets: {}, pauseIn: ['pending', 'pending'] } }),
    ).toEqual([{ code: 'duplicate_status', path: ['resolution', 'pauseIn'] }]);
    expect(issuesOf({ id: 'p', calendar: null, warnAt: 1, resolution: { targets: {} } })).toEqual([
      { code: 'too_big', path: ['warnAt'] },
    ]);
    expect(issuesOf({ id: 'p', calendar: null, resolution: { targets: { normal: { months: 1 } } } })).toEqual(
      [
        { code: 'unrecognized_keys', path: ['resolution', 'targets', 'normal'] },
        { code: 'empty_duration', path: ['resolution', 'targets', 'normal'] },
      ],
    );
    expect(issuesOf({ id: 'p', firstReply: { targets: {} } })).toEqual([
      { code: 'required', path: ['calendar'] },
    ]);
  });

  it('takes a target of exactly one second', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      firstReply: { targets: { urgent: { seconds: 1 } } },
    });
    expect(policy.clocks.firstReply?.targetsMs).toEqual({ urgent: 1000 });
  });

  it('words each refusal of its own: what is wrong, where, and what would be right', () => {
    const messages = (config: unknown) => {
      try {
        createSlaPolicy(config as SlaPolicyConfig);
      } catch (error) {
        return (error as CarekitValidationError).issues.map((issue) => issue.message);
      }
      throw new Error('expected the config to be refused');
    };
    expect(messages({ id: 'p', calendar: null })).toEqual([
      '(root): needs at least one clock (firstReply, nextReply, periodicUpdate, resolution)',
    ]);
    expect(messages({ id: 'p', calendar: null, firstReply: { targets: { low: { seconds: 0.5 } } } })).toEqual(
      ['firstReply.targets.low: a target must be at least one second (like { minutes: 30 })'],
    );
    expect(
      messages({ id: 'p', calendar: null, resolution: { targets: {}, pauseIn: ['pending', 'pending'] } }),
    ).toEqual(['resolution.pauseIn: lists a status twice']);
  });

  it('measures the next reply when the policy sets it', () => {
    const policy = createSlaPolicy({
      id: 'p',
      calendar: null,
      nextReply: { targets: { normal: { hours: 2 } } },
    });
    expect(policy.clocks).toEqual({
      firstReply: null,
      nextReply: { targetsMs: { normal: 2 * H }, calendar: null, pauseIn: [], warnAt: 0.75 },
      periodicUpdate: null,
      resolution: null,
    });
  });

  it('leaves its input untouched when it refuses it', () => {
    const config = { id: 'p', calendar: null, resolution: { targets: { normal: { hours: 0 } } } };
    const before = JSON.stringify(config);
    expect(() => createSlaPolicy(config)).toThrow(/Invalid SLA policy: 1 problem/);
    expect(JSON.stringify(config)).toBe(before);
  });
});

describe('selectSlaPolicy', () => {
  const vip = createSlaPolicy({
    id: 'vip',
    calendar: null,
    when: { segment: ['vip'], channel: ['email', 'chat'] },
    firstReply: { targets: { normal: { hours: 1 } } },
  });
  const returns = createSlaPolicy({
    id: 'returns',
    calendar: null,
    when: { category: ['return', 'refund'] },
    firstReply: { targets: { normal: { hours: 4 } } },
  });
  const urgent = createSlaPolicy({
    id: 'urgent',
    calendar: null,
    when: { priority: ['urgent'] },
    firstReply: { targets: { urgent: { minutes: 30 } } },
  });
  const standard = createSlaPolicy({
    id: 'standard',
    calendar: null,
    firstReply: { targets: { normal: { hours: 8 } } },
  });
  const policies = [vip, returns, urgent, standard];

  it('picks the first policy whose every condition matches', () => {
    expect(selectSlaPolicy(policies, { segment: 'vip', channel: 'chat', category: 'refund' })?.id).toBe(
      'vip',
    );
    expect(selectSlaPolicy(policies, { segment: 'vip', channel: 'phone', category: 'refund' })?.id).toBe(
      'returns',
    );
    expect(selectSlaPolicy(policies, { priority: 'urgent' })?.id).toBe('urgent');
    expect(selectSlaPolicy(policies, { segment: null, category: null })?.id).toBe('standard');
  });

  it('returns null when nothing applies', () => {
    expect(selectSlaPolicy([vip, returns], { channel: 'email' })).toBeNull();
    expect(slaPolicyApplies(vip, {})).toBe(false);
    expect(slaPolicyApplies(standard, {})).toBe(true);
  });
});

describe('resolveClockMeasure', () => {
  it('does not find inherited names', () => {
    expect(() => resolveClockMeasure('toString', {})).toThrow(/"toString"/);
  });
});

describe('duration bounds', () => {
  it('refuses a target longer than 100 years with duration_too_long', () => {
    const attempt = (targets: Record<string, unknown>) => {
      try {
        createSlaPolicy({ id: 'p', calendar: null, firstReply: { targets } } as never);
      } catch (error) {
        return (error as { issues?: { code: string; path: unknown[] }[] }).issues?.[0];
      }
      return undefined;
    };
    expect(attempt({ normal: { weeks: 1e7 } })).toMatchObject({
      code: 'duration_too_long',
      path: ['firstReply', 'targets', 'normal'],
    });
    expect(attempt({ normal: { weeks: 5200 } })).toBeUndefined();
  });
});
