// How a shown result (`//=> text`) is compared with the value the example computes. The rules
// (also in docs/architecture.md#doctests):
// - the text is read as a JavaScript literal; words after it (`7200000 (2 hours)`, `true  for a
//   new ticket`) are a comment;
// - a bare ISO instant (`2025-03-17T09:00:00.000Z`, also inside an object) is a string, and every
//   Date in the value is compared as its ISO string;
// - `...` in an object or at the end of an array shows part of the value (the rest is not
//   compared); inside a string it stands for any text;
// - a number matches when the value rounded to the shown decimals equals it (`0.91` for 0.9132);
// - `throws Name code`, `throws: message [code]`: the expression throws (that class, that code);
// - after `console.log(a, b)`, the values shown side by side (`1 1 'text'`);
// - anything else is prose: the example runs, and its result is not compared (the test lists them).
import ts from 'typescript';
import { expect } from 'vitest';

const ISO = /(?<!['"\w])(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z)(?!['"\w])/g;

export type Expected =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'throws'; readonly name?: string; readonly code?: string; readonly message?: string }
  | { readonly kind: 'prose' };

function evaluate(text: string): { ok: true; value: unknown } | { ok: false } {
  const file = ts.createSourceFile('x.ts', `(${text});`, ts.ScriptTarget.ES2022, true);
  if ((file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length > 0) return { ok: false };
  try {
    return { ok: true, value: new Function(`return (${text});`)() };
  } catch {
    return { ok: false };
  }
}

/** Inserts commas between values shown side by side (`1 1 'a'` → `1, 1, 'a'`). */
function sideBySide(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  const parts: string[] = [];
  let depth = 0;
  let last = -1;
  let start = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    const opens = [
      ts.SyntaxKind.OpenBracketToken,
      ts.SyntaxKind.OpenBraceToken,
      ts.SyntaxKind.OpenParenToken,
    ];
    const closes = [
      ts.SyntaxKind.CloseBracketToken,
      ts.SyntaxKind.CloseBraceToken,
      ts.SyntaxKind.CloseParenToken,
    ];
    if (
      depth === 0 &&
      last >= 0 &&
      !opens.includes(last) &&
      last !== ts.SyntaxKind.CommaToken &&
      token !== ts.SyntaxKind.CommaToken &&
      (opens.includes(token) ||
        (token >= ts.SyntaxKind.NumericLiteral && token <= ts.SyntaxKind.NoSubstitutionTemplateLiteral) ||
        token === ts.SyntaxKind.Identifier ||
        token === ts.SyntaxKind.MinusToken ||
        token === ts.SyntaxKind.TrueKeyword ||
        token === ts.SyntaxKind.FalseKeyword ||
        token === ts.SyntaxKind.NullKeyword)
    ) {
      parts.push(text.slice(start, scanner.getTokenStart()).trim());
      start = scanner.getTokenStart();
    }
    if (opens.includes(token)) depth++;
    if (closes.includes(token)) depth--;
    last = token;
  }
  parts.push(text.slice(start).trim());
  return parts.join(', ');
}

function readValue(text: string, log: boolean): { ok: true; value: unknown } | { ok: false } {
  let t = text.trim().replace(ISO, "'$1'");
  if (log) t = `[${sideBySide(t)}]`;
  t = t
    .replace(/,\s*\.\.\.\s*(?=[\]}])/g, ', __rest__: true')
    .replace(/([[{])\s*\.\.\.\s*(?=[\]}])/g, '$1 __rest__: true');
  // Arrays cannot hold a key: mark a partial array by a last element instead.
  t = t.replace(/\[([^[\]]*), __rest__: true\]/g, "[$1, '__rest__']");
  const whole = evaluate(t);
  if (whole.ok) return whole;
  // The longest prefix that is a value, the rest a comment.
  for (let i = t.length - 1; i > 0; i--) {
    if (!/\s/.test(t[i]!)) continue;
    const prefix = evaluate(t.slice(0, i));
    if (prefix.ok) return prefix;
  }
  return { ok: false };
}

export function expectedOf(text: string, log: boolean): Expected {
  const thrown = /^throws\b:?\s*(.*)$/.exec(text.trim());
  if (thrown) {
    const rest = thrown[1]!;
    const name = /^([A-Z]\w*Error)\b/.exec(rest)?.[1];
    const code = /\[(\w+)\]\s*$/.exec(rest)?.[1] ?? /^[A-Z]\w*Error\s+\(?(\w+)/.exec(rest)?.[1];
    const message = name ? undefined : rest.replace(/\s*\[\w+\]\s*$/, '') || undefined;
    return {
      kind: 'throws',
      ...(name ? { name } : {}),
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
    };
  }
  const read = readValue(text, log);
  return read.ok ? { kind: 'value', value: read.value } : { kind: 'prose' };
}

/** Dates as ISO strings, everywhere in a value. */
function normalise(value: unknown, seen = new Set<unknown>()): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => normalise(v, seen));
  if (value instanceof Map || value instanceof Set) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, seen)]));
}

function decimals(n: number): number {
  const s = String(n);
  return s.includes('e') ? 12 : (s.split('.')[1]?.length ?? 0);
}

/** The matcher for a shown literal: partial objects and arrays, `...` in strings, rounding. */
function matcher(shown: unknown, actual: unknown): unknown {
  if (typeof shown === 'string') {
    if (/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(shown)) return new Date(shown).toISOString();
    if (shown.includes('...') || shown.includes('…')) {
      const pieces = shown.split(/\s*(?:\.\.\.|…)\s*/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return expect.stringMatching(new RegExp(`^${pieces.join('[\\s\\S]*')}$`));
    }
    return shown;
  }
  if (
    typeof shown === 'number' &&
    typeof actual === 'number' &&
    Number.isFinite(shown) &&
    Number.isFinite(actual)
  ) {
    const d = decimals(shown);
    return Number(actual.toFixed(d)) === shown ? actual : shown;
  }
  if (Array.isArray(shown)) {
    const partial = shown.at(-1) === '__rest__';
    const items = partial ? shown.slice(0, -1) : shown;
    const act = Array.isArray(actual) ? actual : [];
    const m = items.map((s, i) => matcher(s, act[i]));
    return partial ? [...m, ...act.slice(m.length)] : m;
  }
  if (shown !== null && typeof shown === 'object') {
    const { __rest__: rest, ...fields } = shown as Record<string, unknown>;
    const act = (actual ?? {}) as Record<string, unknown>;
    const m = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, matcher(v, act[k])]));
    return rest ? expect.objectContaining(m) : m;
  }
  return shown;
}

/** Asserts that `actual` is what `shown` shows. */
export function compareShown(actual: unknown, expected: Expected & { kind: 'value' }, where: string): void {
  const value = normalise(actual);
  expect(value, where).toEqual(matcher(expected.value, value));
}
