import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonb } from '../../src/store-postgres/jsonb.js';
import { arrayLiteral, jsonTextArrayLiteral } from '../../src/store-postgres/saveBatch.js';
import { propertyRuns } from '../support/runs.js';

// Strings with what JSON and array literals escape: quotes, backslashes, control characters, NUL,
// lone surrogates (jsonb refuses the last two, so toJsonb writes such a document as a JSON string).
const awkward = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '\\', '\\u0000', '\u0000', '\n', '\ud800', 'a"b\\c', '{"x":1}', 'NULL', ','),
);
const documents = fc.dictionary(
  awkward,
  fc.jsonValue().chain((v) => fc.oneof(fc.constant(v), awkward, fc.array(awkward, { maxLength: 4 }))),
  { maxKeys: 6 },
);

describe('the snapshots column of the one-statement save', () => {
  it('quotes toJsonb texts exactly as the general array literal does', () => {
    fc.assert(
      fc.property(fc.array(documents, { maxLength: 5 }), (docs) => {
        const texts = docs.map((d, i) => toJsonb(d, `document ${i}`));
        expect(jsonTextArrayLiteral(texts)).toBe(arrayLiteral(texts));
      }),
      propertyRuns(300, 10),
    );
  });

  it('is an array literal PostgreSQL reads back element by element (a quote, a backslash)', () => {
    expect(jsonTextArrayLiteral(['{"a":"q\\"b\\\\"}', '"\\u0000"'])).toBe(
      '{"{\\"a\\":\\"q\\\\\\"b\\\\\\\\\\"}","\\"\\\\u0000\\""}',
    );
  });
});
