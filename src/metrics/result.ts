/**
 * The result of every KPI: the value, how many items it counted, and which definition it used.
 * `value` is `null` with a `reason` when nothing qualified (never NaN, never a division by zero).
 */
export interface KpiResult {
  readonly value: number | null;
  /** How many items (answers, tickets, intervals) the value is computed from. */
  readonly n: number;
  /** The definition used, e.g. `nps: % promoters (9–10) − % detractors (0–6)`. */
  readonly definition: string;
  /** Why `value` is null. */
  readonly reason?: string;
}

/** Builds a result, turning an empty count into `value: null` with the reason `empty`. */
export function kpi<T extends object>(
  value: number,
  n: number,
  definition: string,
  extra: T,
  empty: string,
): KpiResult & T {
  return n === 0 || !Number.isFinite(value)
    ? { value: null, n, definition, reason: empty, ...extra }
    : { value, n, definition, ...extra };
}
