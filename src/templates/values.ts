/**
 * How template values behave: reading properties safely, truthiness, equality and printing.
 * Only own enumerable properties of plain objects and arrays are ever read; functions are never
 * called; `constructor`, `__proto__` and `prototype` are never reached.
 */

import { TemplateRenderError } from './errors.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * An integer range `(from..to)` as a value: lazy, so `(1..9007199254740991)` costs nothing until
 * something iterates it, and every iteration counts against the loop limit.
 */
export class LiquidRange {
  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    Object.freeze(this);
  }

  get size(): number {
    return this.to >= this.from ? this.to - this.from + 1 : 0;
  }
}

/** The error every limit on the size of what a render builds gives. */
export function outputLimit(max: number, what = 'the output'): TemplateRenderError {
  return new TemplateRenderError(
    'template_output_limit',
    `${what} would be longer than the limit of ${max} characters`,
  );
}

/** A plain object: made by `{}` or `Object.create(null)`, not a class instance, a Date or a Map. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An own, enumerable data property (never a getter: reading it calls no function), or undefined. */
function ownValue(object: object, key: string | number): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (descriptor === undefined || !descriptor.enumerable) return undefined;
  const value: unknown = descriptor.value;
  return typeof value === 'function' ? undefined : value;
}

/** Reads `key` of `value` the way Liquid does (`size`, `first`, `last`, negative indexes), safely. */
export function readProperty(value: unknown, key: string | number): unknown {
  if (value === null) return null;
  if (typeof value === 'string') {
    if (key === 'size' || key === 'length') return value.length;
    const index = typeof key === 'number' ? key : toIndex(key);
    return index !== null && index >= 0 && index < value.length ? value[index] : undefined;
  }
  if (Array.isArray(value)) {
    if (typeof key === 'number') return readElement(value, key);
    const index = toIndex(key);
    if (index !== null) return index >= 0 ? readElement(value, index) : undefined;
    if (key === 'size' || key === 'length') return value.length;
    if (key === 'first') return readElement(value, 0);
    if (key === 'last') return readElement(value, -1);
    return undefined;
  }
  if (!isPlainObject(value)) return value instanceof LiquidRange ? rangeProperty(value, key) : undefined;
  const name = String(key);
  if (FORBIDDEN.has(name)) return undefined;
  const own = ownValue(value, name);
  if (own === undefined && name === 'size') return Object.keys(value).length;
  return own;
}

function rangeProperty(range: LiquidRange, key: string | number): unknown {
  if (key === 'size') return range.size;
  if (key === 'first') return range.size > 0 ? range.from : undefined;
  if (key === 'last') return range.size > 0 ? range.to : undefined;
  return undefined;
}

/** An element of an array by index (negative from the end), read as {@link readProperty} reads it. */
export function readElement(array: readonly unknown[], index: number): unknown {
  return ownValue(array, index < 0 ? array.length + index : index);
}

function toIndex(key: string): number | null {
  return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : null;
}

/** Liquid truthiness: only `false`, `nil` and a missing value are false. */
export function isTruthy(value: unknown): boolean {
  return value !== false && value !== undefined && value !== null;
}

/**
 * Prints a value as Liquid does: nothing for nil, arrays joined, numbers and booleans as written,
 * a range as `1..5`. `max` bounds the text built (an array holding one long string many times).
 */
export function stringify(value: unknown, max = Number.POSITIVE_INFINITY): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    let out = '';
    for (let i = 0; i < value.length; i++) {
      out += stringify(readElement(value, i), max - out.length);
      if (out.length > max) throw outputLimit(max, 'the text of a list');
    }
    return out;
  }
  if (value instanceof LiquidRange) return `${value.from}..${value.to}`;
  if (typeof value === 'object') return value instanceof Date ? value.toISOString() : '[object Object]';
  if (typeof value === 'function' || typeof value === 'symbol') return '';
  return String(value);
}

/** `String(value)` for the values JSON has, without ever calling a method of the value. */
export function safeString(value: unknown): string {
  if (value instanceof LiquidRange) return `${value.from}..${value.to}`;
  if (Array.isArray(value))
    return value.map((item) => (item === null || item === undefined ? '' : safeString(item))).join(',');
  if (typeof value === 'object' && value !== null)
    return value instanceof Date ? value.toISOString() : '[object Object]';
  if (typeof value === 'function' || typeof value === 'symbol') return '';
  return String(value);
}

/** `+value || 0`, without calling methods of objects. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value || 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return 0;
  return Number(safeString(value)) || 0;
}

/** Liquid equality: deep for arrays, strict otherwise; nil (null, a missing value) equals nil. */
export function equals(left: unknown, right: unknown): boolean {
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!equals(left[i], right[i])) return false;
    return true;
  }
  return left === right || ((left === null || left === undefined) && (right === null || right === undefined));
}

/** Whether a value equals Liquid's `empty`: an empty string, array or object. */
export function isEmpty(value: unknown): boolean {
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (value instanceof LiquidRange) return value.size === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** Whether a value equals Liquid's `blank`: empty, whitespace only, nil or false. */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === 'string') return value.trim() === '';
  return isEmpty(value);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` as Shopify's `escape` does (Ruby's `CGI.escapeHTML`). */
export function escapeHtml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string) : text;
}

/** Shopify's `escape_once`: escapes `< > " '` and every `&` that does not start an entity. */
export function escapeHtmlOnce(text: string): string {
  return text.replace(/["><']|&(?!([a-zA-Z]+|(#\d+));)/g, (ch) => HTML_ESCAPES[ch] as string);
}
