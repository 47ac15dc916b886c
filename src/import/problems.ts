import type { ImportItem, ImportProblem, RecordPlace } from './items.js';
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
