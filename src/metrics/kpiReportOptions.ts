import { z } from 'zod';
import { fnOption, msOption, objectOption, parseOptions } from './guards.js';
import type { KpiReportOptions } from './kpiReport.js';
import { parseVolumeOptions } from './volume.js';

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
  if (o.volume !== undefined) parseVolumeOptions(o.volume, `${fn} volume`);
  return o;
}
