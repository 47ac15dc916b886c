import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { readJsonRecords } from '../../src/import/index.js';

const record = fc.dictionary(
  fc.constantFrom('id', 'body', 'ticket_id', 'child_events', 'tags', 'a'),
  fc.jsonValue({ maxDepth: 4 }),
  { maxKeys: 5 },
);

/** A layout an export may have, and the text of those records in it. */
const layouts = {
  array: (rs: unknown[]) => JSON.stringify(rs, null, rs.length % 2 === 0 ? 2 : undefined),
  ndjson: (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join('\n'),
  pages: (rs: unknown[]) => {
    const pages: string[] = [];
    for (let i = 0; i < rs.length; i += 3)
      pages.push(JSON.stringify({ count: 3, audits: rs.slice(i, i + 3), next_page: null }));
    return pages.join('\n');
  },
};

test.prop(
  [
    fc.array(record, { maxLength: 12 }),
    fc.constantFrom(...(Object.keys(layouts) as (keyof typeof layouts)[])),
    fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
  ],
  { numRuns: 150, timeout: 20_000 },
)(
  'reads back exactly the records written, however the text is cut into chunks',
  async (records, layout, cuts) => {
    // NDJSON of objects only: a record is an object in every export carekit reads.
    const objects = records.filter(
      (r) => !('audits' in r) && !('ticket_events' in r) && !('tickets' in r) && !('ticket_metrics' in r),
    );
    const text = layouts[layout](objects);
    const chunks: string[] = [];
    for (let i = 0, k = 0; i < text.length; k++) {
      const size = cuts[k % cuts.length] as number;
      chunks.push(text.slice(i, i + size));
      i += size;
    }
    const read: unknown[] = [];
    for await (const r of readJsonRecords(chunks)) {
      expect(r.kind).toBe('record');
      if (r.kind === 'record') read.push(r.value);
    }
    // What was written is JSON text: compare with its round trip (-0 is written as 0).
    expect(read).toEqual(JSON.parse(JSON.stringify(objects)));
  },
);
