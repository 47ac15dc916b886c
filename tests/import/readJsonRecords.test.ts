import { describe, expect, it } from 'vitest';
import { type ExportRecord, readJsonRecords } from '../../src/import/index.js';
import { CarekitError } from '../../src/model/index.js';

async function read(text: string | Uint8Array[], size = 1_000_000, options = {}): Promise<ExportRecord[]> {
  const chunks: (string | Uint8Array)[] = [];
  if (typeof text === 'string')
    for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  else chunks.push(...text);
  const out: ExportRecord[] = [];
  for await (const record of readJsonRecords(chunks, options)) out.push(record);
  return out;
}
const values = (records: ExportRecord[]) => records.map((r) => (r.kind === 'record' ? r.value : r.code));

describe('readJsonRecords', () => {
  it('reads an API page: the records under its envelope key, the rest skipped', async () => {
    const page =
      '{"count":2,"end_of_stream":true,"ticket_events":[{"id":1,"s":"a]}\\"x"},\n{"id":2}],"next_page":null}';
    for (const size of [1, 2, 7, 1000]) {
      const records = await read(page, size);
      expect(values(records)).toEqual([{ id: 1, s: 'a]}"x' }, { id: 2 }]);
      expect(records.map((r) => [r.key, r.line, r.index])).toEqual([
        ['ticket_events', 1, 0],
        ['ticket_events', 2, 1],
      ]);
    }
  });

  it('reads NDJSON, an array of records, and several pages one after the other', async () => {
    expect(values(await read('{"id":1,"child_events":[]}\n\n{"id":2}\n', 3))).toEqual([
      { id: 1, child_events: [] },
      { id: 2 },
    ]);
    expect(values(await read('[{"id":1},{"id":2,"a":[1,{"b":[]}]}]', 2))).toEqual([
      { id: 1 },
      { id: 2, a: [1, { b: [] }] },
    ]);
    const pages = '{"audits":[{"id":1}],"next_page":"x"}\n{"audits":[{"id":2}],"next_page":null}\n';
    expect(values(await read(pages, 5))).toEqual([{ id: 1 }, { id: 2 }]);
    expect(values(await read('[{"audits":[{"id":1}]},{"audits":[]}]'))).toEqual([{ id: 1 }]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('[{"body":"Olá, tôi chưa nhận được hàng 📦"}]');
    const chunks = [...bytes].map((b) => new Uint8Array([b]));
    expect(values(await read(chunks))).toEqual([{ body: 'Olá, tôi chưa nhận được hàng 📦' }]);
  });

  it('reports a record that is not JSON, too large or too deep with its line, and reads on', async () => {
    const text = `[{"id":1},\n{"id": broken},\n{"id":"${'x'.repeat(200)}"},\n${'['.repeat(80)}${']'.repeat(80)},\n{"id":5}]`;
    for (const size of [3, 1000]) {
      const records = await read(text, size, { maxRecordChars: 180, maxDepth: 64 });
      expect(records.map((r) => (r.kind === 'record' ? r.value : [r.code, r.line]))).toEqual([
        { id: 1 },
        ['invalid_json', 2],
        ['record_too_large', 3],
        ['record_too_deep', 4],
        { id: 5 },
      ]);
    }
    const ndjson = `{"id":1,"x":"${'a'.repeat(300)}","y":2}\n{"id":2}`;
    expect(values(await read(ndjson, 7, { maxRecordChars: 100 }))).toEqual(['record_too_large', { id: 2 }]);
  });

  it('throws invalid_json with the line when the structure outside the records is broken', async () => {
    await expect(read('[{"id":1}\n{"id":2}]')).rejects.toMatchObject({
      code: 'invalid_json',
      message: expect.stringMatching(/^line 2: expected , or \]/),
    });
    await expect(read('[{"id":1},')).rejects.toBeInstanceOf(CarekitError);
    await expect(read('{"ticket_events":[{"id":1}')).rejects.toMatchObject({ code: 'invalid_json' });
    await expect(read('{"id": 1')).rejects.toMatchObject({ code: 'invalid_json' });
  });

  it('keeps memory flat: a long export is read without holding what was read', async () => {
    // 20,000 records of 1 kB through 64 kB chunks: the buffer never holds more than a chunk and a record.
    const record = JSON.stringify({ id: 0, body: 'x'.repeat(1000) });
    async function* chunks() {
      yield '{"ticket_events":[';
      for (let i = 0; i < 20_000; i++) yield `${i > 0 ? ',' : ''}${record}`;
      yield ']}';
    }
    let n = 0;
    for await (const r of readJsonRecords(chunks())) if (r.kind === 'record') n++;
    expect(n).toBe(20_000);
  });
});
