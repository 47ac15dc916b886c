import { CarekitError, formatPath } from '../model/index.js';
import type { StoreErrorCode } from './errors.js';

/** Why a value is not plain JSON, and where; null when it is. */
function notPlainJson(value: unknown, path: (string | number)[], ancestors: Set<object>): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${formatPath(path)} is ${value}, which JSON cannot hold`;
    case 'object': {
      if (value === null) return null;
      if (ancestors.has(value)) return `${formatPath(path)} refers back to itself`;
      const proto = Object.getPrototypeOf(value);
      const isArray = Array.isArray(value);
      if (!isArray && proto !== Object.prototype && proto !== null) {
        return `${formatPath(path)} is a ${proto?.constructor?.name ?? 'non-plain'} object, not plain data`;
      }
      ancestors.add(value);
      if (isArray) {
        for (let i = 0; i < value.length; i++) {
          // JSON writes a hole or `undefined` in an array as null: refuse rather than change it.
          if (value[i] === undefined)
            return `${formatPath([...path, i])} is undefined, which JSON cannot hold in an array`;
          const problem = notPlainJson(value[i], [...path, i], ancestors);
          if (problem) return problem;
        }
      } else {
        for (const key of Object.keys(value)) {
          const item = (value as Record<string, unknown>)[key];
          // An undefined property is absent in JSON, and reads back as absent: the same value.
          if (item === undefined) continue;
          const problem = notPlainJson(item, [...path, key], ancestors);
          if (problem) return problem;
        }
      }
      ancestors.delete(value);
      return null;
    }
    default:
      return `${formatPath(path)} is a ${typeof value}, which JSON cannot hold`;
  }
}

/**
 * Whether a value JSON.stringify has already written is plain JSON, without building paths (the
 * common case: every save checks its snapshot, events and effects). Walks only plain objects and
 * arrays and stops at the first other value; a cycle of plain containers cannot be met, since
 * JSON.stringify would have thrown on it.
 */
function plainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item === undefined || !plainJson(item)) return false;
        }
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        const item = (value as Record<string, unknown>)[key];
        if (item !== undefined && !plainJson(item)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

// JSON.stringify writes `\uXXXX` only for control characters and lone surrogates; jsonb refuses
// `\u0000` and lone surrogates. A false alarm (an escaped backslash before `u0000`) costs only
// the fallback encoding, never a wrong value.
const JSONB_UNSAFE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/**
 * The text to bind to a `$n::jsonb` parameter for a document (a snapshot, an event, an effect):
 * its JSON, or, when the document holds a string jsonb cannot store (a NUL character, a lone
 * surrogate), its JSON as one jsonb string, which {@link fromJsonb} reads back. Documents are
 * always objects, so a stored string is never ambiguous. Throws `not_plain_json` for a value that
 * would not read back the same (NaN, a Date, a Map, undefined in an array, a cycle).
 */
export function toJsonb(document: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(document);
  } catch {
    // A cycle (or a BigInt): the walk below names where.
  }
  if (text === undefined || !plainJson(document)) {
    const problem = notPlainJson(document, [], new Set()) ?? 'it has no JSON text';
    throw new CarekitError<StoreErrorCode>(
      'not_plain_json',
      `${what} is not plain JSON: ${problem}; nothing was written`,
    );
  }
  // Both patterns start with `\u`, which most documents do not hold: skip the regular expression.
  return text.includes('\\u') && JSONB_UNSAFE.test(text) ? JSON.stringify(text) : text;
}

/** Reads a document back from a jsonb column, whether the driver parsed it or not. */
export function fromJsonb<T>(value: unknown): T {
  let document = value;
  // A driver that does not parse jsonb gives its text; a document stored as a string gives a string.
  for (let i = 0; i < 2 && typeof document === 'string'; i++) document = JSON.parse(document);
  return document as T;
}
