import type { ImportItem, ImportProblem, RecordPlace } from './items.js';
import type { ImportMapping } from './mapping.js';
import type { ExportRecord } from './readJsonRecords.js';

/** A problem item of the import's report: where, which ticket, a code and a sentence (and the cause's code). */
export function problem(
  place: RecordPlace,
  ticketId: string | null,
  code: string,
  message: string,
  reason?: string,
): ImportItem {
  const p: ImportProblem = { ...place, ticketId, code, message, ...(reason !== undefined ? { reason } : {}) };
  return { kind: 'problem', problem: p };
}

/** The problem item for a record the JSON reader could not read: `unreadable`, with the reader's code as the reason. */
export function unreadableProblem(record: Extract<ExportRecord, { kind: 'unreadable' }>): ImportItem {
  return problem(
    { line: record.line, index: record.index, source: 'record' },
    null,
    'unreadable',
    record.message,
    record.code,
  );
}

/**
 * The tier of a source group in the mapping, or the `unmapped_group` problem that says how to
 * map it (both readers turn a group into a `ticket.escalated` to that tier).
 */
export function groupTier(
  mapping: ImportMapping,
  group: string,
  place: RecordPlace,
  ticketId: string,
): { readonly tier: number } | { readonly problem: ImportItem } {
  const tier = mapping.groups[group]?.tier;
  if (tier !== undefined) return { tier };
  return {
    problem: problem(
      place,
      ticketId,
      'unmapped_group',
      `the group ${group} is not in the mapping's groups; add it with its tier (e.g. "${group}": { "tier": 1 })`,
    ),
  };
}

/**
 * A record's value (`key`; null when the record has none) looked up in one of the mapping's
 * tables (priorities, categories): the carekit value, or undefined with the problem `code`
 * pushed on `out` when the table does not name it (the mapping's tables have no prototype, see
 * `defaultMapping`).
 */
export function mappedOrReported<T>(
  table: Readonly<Record<string, T>>,
  key: string | null,
  out: ImportItem[],
  place: RecordPlace,
  ticketId: string,
  code: 'unmapped_priority' | 'unmapped_category',
  message: (key: string) => string,
): T | undefined {
  if (key === null) return undefined;
  const value = table[key];
  if (value === undefined) out.push(problem(place, ticketId, code, message(key)));
  return value;
}
