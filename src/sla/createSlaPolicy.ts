import { z } from 'zod';
import {
  Channel,
  Duration,
  durationToMs,
  Id,
  Label,
  MAX_TEXT_LENGTH,
  Priority,
  parseInput,
  SLA_CLOCKS,
  type SlaClock,
} from '../model/index.js';

/**
 * The name of an SLA clock: `firstReply`, `nextReply`, `periodicUpdate` or `resolution`.
 *
 * @deprecated Use {@link SlaClock} from `carekit/model`; this is the same type under its old name.
 */
export type SlaClockName = SlaClock;

/** The statuses a clock may be paused in (`solved`, `closed` and `merged` stop every clock anyway). */
export const PausableStatus = z.enum(['new', 'open', 'pending', 'on_hold']);
export type PausableStatus = z.infer<typeof PausableStatus>;

/**
 * Where a clock's time is counted: the name of a business calendar (looked up in the
 * `calendars` option of the engine), or `null` for calendar hours (every hour of every day).
 */
export const SlaCalendarRef = z.string().min(1).max(256).nullable();

const Fraction = z.number().gt(0).lt(1);

/** Targets per priority. A priority without a target leaves the clock inactive for it. */
export const SlaTargets = z.strictObject({
  low: Duration.optional(),
  normal: Duration.optional(),
  high: Duration.optional(),
  urgent: Duration.optional(),
});

/** One clock of a policy: its targets per priority and, optionally, its own calendar, pauses and warning. */
export const SlaClockConfig = z.strictObject({
  /** Target per priority as a date-fns `Duration`: `{ urgent: { hours: 1 }, normal: { hours: 8 } }`. */
  targets: SlaTargets,
  /** Overrides the policy's `calendar` for this clock. */
  calendar: SlaCalendarRef.optional(),
  /** Statuses in which this clock stops counting. Default: `['pending', 'on_hold']` for resolution and periodic update, none for the reply clocks. */
  pauseIn: z.array(PausableStatus).max(4).optional(),
  /** Warn when this fraction of the target has elapsed. Overrides the policy's `warnAt`. */
  warnAt: Fraction.optional(),
});
export type SlaClockConfig = z.input<typeof SlaClockConfig>;

/** Which tickets a policy applies to. Every field given must match; a list matches any of its values. */
export const SlaCondition = z.strictObject({
  segment: z.array(Label).min(1).max(100).optional(),
  channel: z.array(Channel).min(1).optional(),
  category: z.array(Label).min(1).max(1000).optional(),
  priority: z.array(Priority).min(1).optional(),
});
export type SlaCondition = z.infer<typeof SlaCondition>;

/**
 * An SLA policy as data (it can live in a JSON file). At least one clock must be given.
 * Durations are converted with a fixed rule: a day is 24 hours and a week 7 days **of the
 * clock's own time**, so in business hours `{ days: 1 }` means 24 business hours (three
 * 8-hour working days). Write business targets in hours and minutes to avoid surprises.
 */
export const SlaPolicyConfig = z
  .strictObject({
    id: Id,
    name: z.string().max(MAX_TEXT_LENGTH).optional(),
    /** Default calendar of every clock: a calendar name, or `null` for calendar hours. */
    calendar: SlaCalendarRef,
    /** Default warning threshold, a fraction of the target strictly between 0 and 1. Default 0.75. */
    warnAt: Fraction.default(0.75),
    when: SlaCondition.optional(),
    /**
     * Whether a public reply marked `bot: true` fulfils the reply clocks (first reply, next reply,
     * periodic update). Default `false`: an automatic answer is not the reply a person owes.
     */
    botRepliesCount: z.boolean().default(false),
    firstReply: SlaClockConfig.optional(),
    nextReply: SlaClockConfig.optional(),
    periodicUpdate: SlaClockConfig.optional(),
    resolution: SlaClockConfig.optional(),
  })
  .superRefine((config, ctx) => {
    if (SLA_CLOCKS.every((name) => config[name] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `needs at least one clock (${SLA_CLOCKS.join(', ')})`,
        params: { code: 'empty_policy' },
      });
    }
    for (const name of SLA_CLOCKS) {
      const clock = config[name];
      if (clock === undefined) continue;
      for (const priority of Priority.options) {
        // A malformed duration has its own issue already; only a well-formed one can be too short.
        const target = Duration.safeParse(clock.targets[priority]);
        if (target.success && durationToMs(target.data) < 1000) {
          ctx.addIssue({
            code: 'custom',
            path: [name, 'targets', priority],
            message: `a target must be at least one second (like { minutes: 30 })`,
            params: { code: 'target_too_short' },
          });
        }
      }
      const pauses = clock.pauseIn;
      if (pauses !== undefined && new Set(pauses).size !== pauses.length) {
        ctx.addIssue({
          code: 'custom',
          path: [name, 'pauseIn'],
          message: 'lists a status twice',
          params: { code: 'duplicate_status' },
        });
      }
    }
  });
/** A policy config as written by a user. */
export type SlaPolicyConfig = z.input<typeof SlaPolicyConfig>;

/** One clock of a created policy, with targets in milliseconds. Plain data. */
export interface SlaClockRule {
  /** Target per priority in ms of the clock's own time; a missing priority has no target. */
  readonly targetsMs: Readonly<Partial<Record<Priority, number>>>;
  /** Calendar name, or `null` for calendar hours. */
  readonly calendar: string | null;
  readonly pauseIn: readonly PausableStatus[];
  /** Warning threshold as a fraction of the target. */
  readonly warnAt: number;
}

/** A validated SLA policy, ready for the engine. Plain data. */
export interface SlaPolicy {
  readonly id: string;
  readonly name: string | null;
  readonly when: SlaCondition | null;
  /**
   * Whether a bot's public reply fulfils the reply clocks. `createSlaPolicy` always sets it;
   * a policy written by hand without it counts bot replies as not fulfilling (the default).
   */
  readonly botRepliesCount?: boolean;
  /** Each clock's rule, or `null` when the policy does not measure it. */
  readonly clocks: Readonly<Record<SlaClock, SlaClockRule | null>>;
}

const DEFAULT_PAUSES: Readonly<Record<SlaClock, readonly PausableStatus[]>> = {
  firstReply: [],
  nextReply: [],
  periodicUpdate: ['pending', 'on_hold'],
  resolution: ['pending', 'on_hold'],
};

/**
 * Validates an SLA policy config and converts its targets to milliseconds.
 *
 * Clocks are measured in business hours of the named `calendar` (looked up in the engine's
 * `calendars` option) or in calendar hours when `calendar` is `null`. A `Duration` converts
 * with a day = 24 hours and a week = 7 days of the clock's own time.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} with issues such as `empty_policy`,
 * `target_too_short`, `duplicate_status`, `invalid_value` (each with a path).
 * @example
 * ```ts
 * const policy = createSlaPolicy({
 *   id: 'standard',
 *   calendar: 'support-hours',
 *   firstReply: { targets: { urgent: { hours: 1 }, normal: { hours: 8 } } },
 *   resolution: { targets: { normal: { hours: 40 } } },
 * });
 * policy.clocks.firstReply;
 * //=> { targetsMs: { urgent: 3600000, normal: 28800000 }, calendar: 'support-hours', pauseIn: [], warnAt: 0.75 }
 * policy.clocks.resolution?.pauseIn;
 * //=> ['pending', 'on_hold']
 * ```
 */
export function createSlaPolicy(config: SlaPolicyConfig): SlaPolicy {
  const parsed = parseInput(SlaPolicyConfig, config, 'SLA policy');
  const rule = (name: SlaClock): SlaClockRule | null => {
    const clock = parsed[name];
    if (clock === undefined) return null;
    const targetsMs: Partial<Record<Priority, number>> = {};
    for (const priority of Priority.options) {
      const target = clock.targets[priority];
      if (target !== undefined) targetsMs[priority] = durationToMs(target);
    }
    return {
      targetsMs,
      calendar: clock.calendar === undefined ? parsed.calendar : clock.calendar,
      pauseIn: clock.pauseIn ?? DEFAULT_PAUSES[name],
      warnAt: clock.warnAt ?? parsed.warnAt,
    };
  };
  return {
    id: parsed.id,
    name: parsed.name ?? null,
    when: parsed.when ?? null,
    botRepliesCount: parsed.botRepliesCount,
    clocks: {
      firstReply: rule('firstReply'),
      nextReply: rule('nextReply'),
      periodicUpdate: rule('periodicUpdate'),
      resolution: rule('resolution'),
    },
  };
}
