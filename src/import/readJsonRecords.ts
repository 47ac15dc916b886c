import { CarekitError } from '../model/index.js';
import type { ImportErrorCode } from './errors.js';

/** A chunk of an export as a stream gives it: text, or bytes in UTF-8. */
export type ExportChunk = string | Uint8Array;

/** One record of an export, or one that could not be read (it is reported, never dropped silently). */
export type ExportRecord =
  | {
      readonly kind: 'record';
      /** The envelope key the record was listed under (`ticket_events`, `audits`), or null. */
      readonly key: string | null;
      /** The record's position in the export, counting from 0 over every record read. */
      readonly index: number;
      /** The line the record starts on, counting from 1. */
      readonly line: number;
      readonly value: unknown;
    }
  | {
      readonly kind: 'unreadable';
      readonly key: string | null;
      readonly index: number;
      readonly line: number;
      /** `invalid_json`, `record_too_large` or `record_too_deep`. */
      readonly code: string;
      readonly message: string;
    };

/** Options of {@link readJsonRecords}. */
export interface ReadJsonRecordsOptions {
  /**
   * Keys of an object whose array values list records (an API page such as
   * `{ "ticket_events": [...], "next_page": ... }`); the page's other members are skipped. An
   * object without any of these keys is a record itself (NDJSON, or an array of records).
   * Default: the keys of Zendesk's and Freshdesk's exports.
   */
  readonly envelopes?: readonly string[];
  /** The longest record, in characters. Longer ones are reported `record_too_large`. Default 16 MiB. */
  readonly maxRecordChars?: number;
  /** The deepest nesting inside a record. Deeper ones are reported `record_too_deep`. Default 64. */
  readonly maxDepth?: number;
}

/** The envelope keys of the exports carekit reads. */
export const EXPORT_ENVELOPES: readonly string[] = [
  'ticket_events',
  'audits',
  'ticket_metrics',
  'metric_sets',
  'tickets',
  'users',
  'organizations',
];

const DEFAULT_MAX_RECORD = 16 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;

/** The export's structure is broken outside any record: the reading cannot go on. */
function broken(line: number, message: string): CarekitError {
  return new CarekitError<ImportErrorCode>(
    'invalid_json',
    `line ${line}: ${message}; the export cannot be read past this point`,
  );
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;

/**
 * Reads the records of a JSON export as it streams in, in flat memory: a JSON array of records,
 * an API page (`{ "ticket_events": [...] }`, `{ "audits": [...] }`), several pages one after the
 * other, or NDJSON (one record a line). Only one record is held at a time: the scanner finds a
 * record's end (strings, escapes and brackets), and `JSON.parse` reads that slice. A record that
 * is not valid JSON, too large or too deep is yielded as `unreadable` with its line and the
 * reading goes on; a broken structure outside the records throws `invalid_json`.
 *
 * @example
 * ```ts
 * async function* chunks() {
 *   yield '{"ticket_events":[{"id":1},';
 *   yield '{"id":2}], "end_of_stream": true}';
 * }
 * for await (const r of readJsonRecords(chunks())) console.log(r.kind, r.key, r.line);
 * //=> record ticket_events 1
 * //=> record ticket_events 1
 * ```
 */
export async function* readJsonRecords(
  chunks: AsyncIterable<ExportChunk> | Iterable<ExportChunk>,
  options: ReadJsonRecordsOptions = {},
): AsyncGenerator<ExportRecord> {
  const envelopes = new Set(options.envelopes ?? EXPORT_ENVELOPES);
  const maxRecord = options.maxRecordChars ?? DEFAULT_MAX_RECORD;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const iterator = (
    Symbol.asyncIterator in chunks
      ? (chunks as AsyncIterable<ExportChunk>)[Symbol.asyncIterator]()
      : (chunks as Iterable<ExportChunk>)[Symbol.iterator]()
  ) as AsyncIterator<ExportChunk> | Iterator<ExportChunk>;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let buf = '';
  let pos = 0;
  let line = 1;
  let ended = false;
  /** Where the value being scanned began (its text is kept from there), or -1. */
  let keep = -1;
  /** Where the object being read as a record began (kept while its members are scanned), or -1. */
  let hold = -1;
  let index = 0;

  /** Appends the next chunk; false at the end. Drops what no record needs any more. */
  const fill = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await iterator.next();
    let cut = pos;
    if (keep >= 0 && keep < cut) cut = keep;
    if (hold >= 0 && hold < cut) cut = hold;
    if (cut > 0) {
      buf = buf.slice(cut);
      pos -= cut;
      if (keep >= 0) keep -= cut;
      if (hold >= 0) hold -= cut;
    }
    if (next.done) {
      ended = true;
      const rest = decoder.decode();
      if (rest !== '') buf += rest;
      return rest !== '';
    }
    const chunk = next.value;
    buf += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    return true;
  };

  /** Skips whitespace; returns the next character's code, or -1 at the end. */
  const peek = async (): Promise<number> => {
    for (;;) {
      while (pos < buf.length) {
        const c = buf.charCodeAt(pos);
        if (!isSpace(c)) return c;
        if (c === 0x0a) line++;
        pos++;
      }
      if (!(await fill())) return -1;
    }
  };

  /**
   * Scans one JSON value from `pos` (a non-space character) to its end, counting lines. Returns
   * its text, or why it is not kept (`too_large`, `too_deep`): the scan then goes on to its end.
   */
  const scanValue = async (): Promise<{ text: string } | { skipped: 'too_large' | 'too_deep' }> => {
    keep = pos;
    let depth = 0;
    let deepest = 0;
    let inString = false;
    let escaped = false;
    let scalar = false;
    let tooLarge = false;
    const first = buf.charCodeAt(pos);
    if (first !== 0x7b && first !== 0x5b && first !== 0x22) scalar = true;
    for (;;) {
      let end = -1;
      let i = pos;
      const n = buf.length;
      for (; i < n; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x0a) line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) {
            inString = false;
            if (depth === 0) {
              end = i + 1;
              break;
            }
          }
          continue;
        }
        if (scalar) {
          if (isSpace(c) || c === 0x2c || c === 0x5d || c === 0x7d) {
            if (c === 0x0a) line--;
            end = i;
            break;
          }
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) {
          depth++;
          if (depth > deepest) deepest = depth;
        } else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            end = i + 1;
            break;
          }
        }
      }
      if (end >= 0) {
        pos = end;
        const start = keep;
        keep = -1;
        if (tooLarge || end - start > maxRecord) return { skipped: 'too_large' };
        if (deepest > maxDepth) return { skipped: 'too_deep' };
        return { text: buf.slice(start, end) };
      }
      pos = i;
      if (!tooLarge && pos - (hold >= 0 ? hold : keep) > maxRecord) {
        // Past the limit the record's text is not kept: the scan goes on in flat memory.
        tooLarge = true;
      }
      if (tooLarge) {
        keep = -1;
        hold = -1;
      }
      if (!(await fill())) {
        if (scalar) {
          const start = keep >= 0 ? keep : pos;
          keep = -1;
          return tooLarge ? { skipped: 'too_large' } : { text: buf.slice(start, pos) };
        }
        throw broken(line, 'the export ends inside a record');
      }
    }
  };

  const record = async (key: string | null): Promise<ExportRecord> => {
    const at = line;
    const scanned = await scanValue();
    const i = index++;
    if ('skipped' in scanned) {
      return scanned.skipped === 'too_large'
        ? {
            kind: 'unreadable',
            key,
            index: i,
            line: at,
            code: 'record_too_large',
            message: `the record is longer than ${maxRecord} characters and was not read`,
          }
        : {
            kind: 'unreadable',
            key,
            index: i,
            line: at,
            code: 'record_too_deep',
            message: `the record nests deeper than ${maxDepth} levels and was not read`,
          };
    }
    try {
      return { kind: 'record', key, index: i, line: at, value: JSON.parse(scanned.text) };
    } catch (error) {
      return {
        kind: 'unreadable',
        key,
        index: i,
        line: at,
        code: 'invalid_json',
        message: `the record is not valid JSON (${(error as Error).message})`,
      };
    }
  };

  /** Reads a JSON string at `pos` (an object key of an envelope); keys are short. */
  const readKey = async (): Promise<string> => {
    const scanned = await scanValue();
    if ('skipped' in scanned) throw broken(line, 'an object key is too long');
    try {
      return JSON.parse(scanned.text) as string;
    } catch {
      throw broken(line, 'an object key is not a valid string');
    }
  };

  const expect = async (code: number, what: string): Promise<void> => {
    const c = await peek();
    if (c !== code) {
      throw broken(
        line,
        `expected ${what}, found ${c < 0 ? 'the end of the export' : JSON.stringify(String.fromCharCode(c))}`,
      );
    }
    pos++;
  };

  /** The elements of an array at `pos` (after its `[`), each a record listed under `key`. */
  async function* elements(key: string | null, envelopeObjects: boolean): AsyncGenerator<ExportRecord> {
    let c = await peek();
    if (c === 0x5d) {
      pos++;
      return;
    }
    for (;;) {
      if (c < 0) throw broken(line, 'the export ends inside an array');
      if (envelopeObjects && c === 0x7b) yield* object();
      else yield await record(key);
      c = await peek();
      if (c === 0x2c) {
        pos++;
        c = await peek();
        continue;
      }
      if (c === 0x5d) {
        pos++;
        return;
      }
      throw broken(
        line,
        `expected , or ] between records, found ${c < 0 ? 'the end' : JSON.stringify(String.fromCharCode(c))}`,
      );
    }
  }

  /**
   * An object at `pos`: an envelope when one of its keys lists records (those are yielded, the
   * rest skipped), else a record itself (kept from its `{` and read whole).
   */
  async function* object(): AsyncGenerator<ExportRecord> {
    const at = line;
    hold = pos;
    let envelope = false;
    pos++;
    let c = await peek();
    if (c !== 0x7d) {
      for (;;) {
        if (c !== 0x22) throw broken(line, 'expected an object key');
        const key = await readKey();
        await expect(0x3a, ':');
        c = await peek();
        if (envelopes.has(key) && c === 0x5b) {
          envelope = true;
          hold = -1;
          pos++;
          yield* elements(key, false);
        } else {
          const scanned = await scanValue();
          if (!envelope && ('skipped' in scanned || pos - hold > maxRecord)) {
            // A record too large (or deep) to hold: report it once its end is found.
            hold = -1;
            yield* skipRest(at, 'skipped' in scanned ? scanned.skipped : 'too_large');
            return;
          }
        }
        c = await peek();
        if (c === 0x2c) {
          pos++;
          c = await peek();
          continue;
        }
        if (c === 0x7d) break;
        throw broken(
          line,
          `expected , or } in an object, found ${c < 0 ? 'the end' : JSON.stringify(String.fromCharCode(c))}`,
        );
      }
    }
    pos++;
    if (envelope) return;
    const text = buf.slice(hold, pos);
    hold = -1;
    const i = index++;
    try {
      yield { kind: 'record', key: null, index: i, line: at, value: JSON.parse(text) };
    } catch (error) {
      yield {
        kind: 'unreadable',
        key: null,
        index: i,
        line: at,
        code: 'invalid_json',
        message: `the record is not valid JSON (${(error as Error).message})`,
      };
    }
  }

  /** Scans to the end of an object record that cannot be kept, then reports it. */
  async function* skipRest(at: number, why: 'too_large' | 'too_deep'): AsyncGenerator<ExportRecord> {
    // The object's remaining members are scanned without being kept.
    let c = await peek();
    while (c === 0x2c) {
      pos++;
      c = await peek();
      if (c !== 0x22) throw broken(line, 'expected an object key');
      await scanValue();
      await expect(0x3a, ':');
      await peek();
      await scanValue();
      c = await peek();
    }
    if (c !== 0x7d) throw broken(line, 'expected , or } in an object');
    pos++;
    yield {
      kind: 'unreadable',
      key: null,
      index: index++,
      line: at,
      code: why === 'too_large' ? 'record_too_large' : 'record_too_deep',
      message:
        why === 'too_large'
          ? `the record is longer than ${maxRecord} characters and was not read`
          : `the record nests deeper than ${maxDepth} levels and was not read`,
    };
  }

  for (;;) {
    const c = await peek();
    if (c < 0) return;
    if (c === 0x5b) {
      pos++;
      yield* elements(null, true);
    } else if (c === 0x7b) {
      yield* object();
    } else {
      // A scalar at the top: NDJSON of records admits nothing else.
      yield await record(null);
    }
  }
}
