import { z } from 'zod';
import type { CallbackOptions } from './customers.js';
import { fnOption, msOption, objectOption, parseOptions } from './guards.js';
import type { FcrDefinition } from './rates.js';
import type { UtilisationOptions } from './utilisation.js';
import { parseVolumeOptions, type VolumeOptions } from './volume.js';

/** Options of {@link kpiReport} (a strict object: an unknown key is refused with the allowed keys listed). */
export interface KpiReportOptions {
  /** Count business hours in the time KPIs (facts derived with a calendar). */
  readonly business?: boolean;
  /** The FCR definition: a name from `FCR_DEFINITIONS` (default `zendeskOneTouch`) or `{ name, hit }`. */
  readonly fcr?: FcrDefinition;
  /** SLA clocks to report compliance for. Default first reply, next reply, resolution. */
  readonly slaClocks?: readonly string[];
  /** Volume buckets; default by day, grouped by channel, in the metrics calendar's zone (UTC without one). */
  readonly volume?: VolumeOptions;
  /** The callback (repeat contact) window and sameness rule. Default 7 days, same category. */
  readonly callback?: CallbackOptions;
  /**
   * Agents' shift calendars (and the period) for agent utilisation; without it the report has no
   * `agentUtilisation`. The period defaults to the facts' span.
   */
  readonly utilisation?: UtilisationOptions;
}

const KpiReportOptionsSchema = z.strictObject({
  business: z.boolean().optional(),
  fcr: z.union([z.string(), objectOption<object>('an FCR definition { name, hit }')]).optional(),
  slaClocks: z.array(z.string().min(1)).optional(),
  volume: objectOption<object>('volume options { bucket, timeZone?, groupBy? }').optional(),
  callback: z.strictObject({ withinMs: msOption.optional(), sameAs: fnOption.optional() }).optional(),
  utilisation: objectOption<object>('utilisation options { shifts, from?, to? }').optional(),
});

/**
 * Parses the options of `kpiReport` and `kpiReportAccumulator` (strict: an unknown key is refused
 * with the allowed keys listed), the nested volume options included.
 *
 * @internal
 */
export function parseReportOptions(options: unknown, fn: string): KpiReportOptions {
  const o = parseOptions<KpiReportOptions>(KpiReportOptionsSchema, options, fn);
  // No volume options parse as none: nothing to refuse.
  parseVolumeOptions(o.volume, `${fn} volume`);
  return o;
}
