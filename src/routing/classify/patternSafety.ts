// Static analysis of a regular expression for catastrophic backtracking. A backtracking engine
// (V8's Irregexp) takes exponential time when one piece of text can be matched in many ways by
// a loop, and polynomial time when two adjacent loops can share the same characters. The
// analysis reads the pattern into a small tree and refuses, with a sentence, the shapes that
// make such ambiguity possible:
//
// 1. a loop whose body can match the empty string (`(a?)*`, `(a|)+`);
// 2. a loop inside a loop that can take characters from the next or the previous iteration
//    (`(a+)+`, `(\w+\s?)+`, `(a\w+b)*`): star height 2 with the iterations not delimited;
// 3. an alternation inside a loop whose alternatives can start with the same character, unless
//    they are plain words none of which begins another (a prefix code decodes one way only):
//    `(a|a)*`, `(a|ab)*`, `(\w|\d)+` are refused, `(refund|return)+` is fine;
// 4. two unbounded loops in sequence, with only optional pieces between them, where the first
//    can end with a character the second can start with (`\w+\w+`, `\s*-?\s*`, `\d+\d*`): quadratic on a long run of it.
//
// Character sets are over-approximated (case folding for ASCII letters, `\p{...}`, `.` and
// negated classes as everything they could be), so the analysis may refuse a safe pattern but
// never passes one of these shapes.

import { CarekitError } from '../../model/index.js';
import type { RoutingErrorCode } from '../errors.js';

const MAX_CODE = 0x10ffff;
type Range = readonly [number, number];
/** A set of code points as sorted, disjoint, inclusive ranges. */
type CharSet = readonly Range[];

const EMPTY: CharSet = [];
const ANY: CharSet = [[0, MAX_CODE]];

function normalise(ranges: Range[]): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const union = (...sets: CharSet[]): CharSet =>
  normalise(sets.flatMap((s) => s.map((r) => [r[0], r[1]] as Range)));

function complement(set: CharSet): CharSet {
  const out: Range[] = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE) out.push([next, MAX_CODE]);
  return out;
}

function overlaps(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a, b] = x[i]!;
    const [c, d] = y[j]!;
    if (b < c) i++;
    else if (d < a) j++;
    else return true;
  }
  return false;
}

/** Adds the other case of ASCII letters (the rules run with the `i` flag). */
function foldCase(set: CharSet): CharSet {
  const extra: Range[] = [];
  for (const [a, b] of set) {
    for (const [lo, hi, shift] of [
      [65, 90, 32],
      [97, 122, -32],
    ] as const) {
      const from = Math.max(a, lo);
      const to = Math.min(b, hi);
      if (from <= to) extra.push([from + shift, to + shift]);
    }
    // K and S fold to the Kelvin and long-s signs under `iu`.
    if (a <= 0x212a && b >= 0x212a) extra.push([75, 75], [107, 107]);
    if (a <= 0x17f && b >= 0x17f) extra.push([83, 83], [115, 115]);
  }
  return union(set, extra);
}

const DIGIT: CharSet = [[48, 57]];
const WORD: CharSet = normalise([
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
  [0x17f, 0x17f],
  [0x212a, 0x212a],
]);
const SPACE: CharSet = normalise(
  [9, 10, 11, 12, 13, 32, 160, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]
    .map((c) => [c, c] as Range)
    .concat([[0x2000, 0x200a]]),
);

type Node =
  | { readonly kind: 'chars'; readonly set: CharSet }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly alts: readonly Node[] }
  | { readonly kind: 'loop'; readonly body: Node; readonly min: number; readonly max: number }
  | { readonly kind: 'empty' } // anchors, \b, lookarounds (checked on their own)
  | { readonly kind: 'backref' };

class Parser {
  i = 0;
  readonly lookarounds: Node[] = [];
  constructor(readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): Node {
    const alts = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : { kind: 'alt', alts };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (m === null) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: the same ambiguity, tried in another order
    return this.quantified({ kind: 'loop', body: atom, min, max });
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    if (c === '(') {
      let lookaround = false;
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (/^\?<?[=!]/.test(this.src.slice(this.i))) {
        lookaround = true;
        this.i += this.src[this.i + 1] === '<' ? 3 : 2;
      } else if (this.src.startsWith('?<', this.i)) this.i = this.src.indexOf('>', this.i) + 1;
      const body = this.alternation();
      this.i++; // ')'
      if (lookaround) {
        this.lookarounds.push(body);
        return { kind: 'empty' };
      }
      return body;
    }
    if (c === '^' || c === '$') return { kind: 'empty' };
    if (c === '.') return { kind: 'chars', set: ANY };
    if (c === '[') return { kind: 'chars', set: this.charClass() };
    if (c === '\\') return this.escape(false);
    const code = this.src.codePointAt(this.i - 1)!;
    if (code > 0xffff) this.i++;
    return { kind: 'chars', set: [[code, code]] };
  }

  /** After a backslash. In a class, `\b` is a backspace; outside, an assertion. */
  private escape(inClass: boolean): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case 'd':
        return { kind: 'chars', set: DIGIT };
      case 'D':
        return { kind: 'chars', set: complement(DIGIT) };
      case 'w':
        return { kind: 'chars', set: WORD };
      case 'W':
        return { kind: 'chars', set: complement(WORD) };
      case 's':
        return { kind: 'chars', set: SPACE };
      case 'S':
        return { kind: 'chars', set: complement(SPACE) };
      case 'b':
        return inClass ? { kind: 'chars', set: [[8, 8]] } : { kind: 'empty' };
      case 'B':
        return { kind: 'empty' };
      case 'p':
      case 'P':
        this.i = this.src.indexOf('}', this.i) + 1;
        return { kind: 'chars', set: ANY };
      case 'k':
        return { kind: 'backref' };
      case 'n':
        return { kind: 'chars', set: [[10, 10]] };
      case 'r':
        return { kind: 'chars', set: [[13, 13]] };
      case 't':
        return { kind: 'chars', set: [[9, 9]] };
      case 'f':
        return { kind: 'chars', set: [[12, 12]] };
      case 'v':
        return { kind: 'chars', set: [[11, 11]] };
      case '0':
        return { kind: 'chars', set: [[0, 0]] };
      case 'c': {
        const code = (this.src.charCodeAt(this.i++) ?? 0) % 32;
        return { kind: 'chars', set: [[code, code]] };
      }
      case 'x': {
        const code = Number.parseInt(this.src.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return { kind: 'chars', set: [[code, code]] };
      }
      case 'u': {
        let code: number;
        if (this.peek() === '{') {
          const end = this.src.indexOf('}', this.i);
          code = Number.parseInt(this.src.slice(this.i + 1, end), 16);
          this.i = end + 1;
        } else {
          code = Number.parseInt(this.src.slice(this.i, this.i + 4), 16);
          this.i += 4;
        }
        return { kind: 'chars', set: [[code, code]] };
      }
      default: {
        if (/[1-9]/.test(c)) {
          while (/\d/.test(this.peek() ?? '')) this.i++;
          return { kind: 'backref' };
        }
        const code = this.src.codePointAt(this.i - 1)!;
        if (code > 0xffff) this.i++;
        return { kind: 'chars', set: [[code, code]] };
      }
    }
  }

  private charClass(): CharSet {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const parts: CharSet[] = [];
    while (this.i < this.src.length && this.peek() !== ']') {
      const low = this.classAtom();
      if (
        this.peek() === '-' &&
        this.src[this.i + 1] !== ']' &&
        low.length === 1 &&
        low[0]![0] === low[0]![1]
      ) {
        this.i++;
        const high = this.classAtom();
        if (high.length === 1 && high[0]![0] === high[0]![1]) {
          parts.push([[low[0]![0], high[0]![0]]]);
          continue;
        }
        parts.push(low, [[45, 45]], high);
        continue;
      }
      parts.push(low);
    }
    this.i++; // ']'
    const set = union(...parts);
    return negated ? complement(foldCase(set)) : set;
  }

  private classAtom(): CharSet {
    const c = this.src[this.i++]!;
    if (c === '\\') {
      const node = this.escape(true);
      return node.kind === 'chars' ? node.set : ANY;
    }
    const code = this.src.codePointAt(this.i - 1)!;
    if (code > 0xffff) this.i++;
    return [[code, code]];
  }
}

interface Facts {
  readonly nullable: boolean;
  /** Characters the node can start with, end with, and contain anywhere. */
  readonly first: CharSet;
  readonly last: CharSet;
  readonly all: CharSet;
}

function facts(node: Node): Facts {
  switch (node.kind) {
    case 'chars':
      return { nullable: false, first: node.set, last: node.set, all: node.set };
    case 'empty':
    case 'backref':
      return { nullable: true, first: EMPTY, last: EMPTY, all: EMPTY };
    case 'loop': {
      const body = facts(node.body);
      return { ...body, nullable: body.nullable || node.min === 0 };
    }
    case 'alt': {
      const each = node.alts.map(facts);
      return {
        nullable: each.some((f) => f.nullable),
        first: union(...each.map((f) => f.first)),
        last: union(...each.map((f) => f.last)),
        all: union(...each.map((f) => f.all)),
      };
    }
    case 'seq': {
      const each = node.items.map(facts);
      const first: CharSet[] = [];
      for (const f of each) {
        first.push(f.first);
        if (!f.nullable) break;
      }
      const last: CharSet[] = [];
      for (const f of [...each].reverse()) {
        last.push(f.last);
        if (!f.nullable) break;
      }
      return {
        nullable: each.every((f) => f.nullable),
        first: union(...first),
        last: union(...last),
        all: union(...each.map((f) => f.all)),
      };
    }
  }
}

/** A plain word: a sequence of single characters, or null. */
function literal(node: Node): number[][] | null {
  if (node.kind === 'chars') return [node.set.flatMap(([a, b]) => (a === b ? [a] : [-1]))];
  if (node.kind === 'seq') {
    const out: number[][] = [];
    for (const item of node.items) {
      const part = literal(item);
      if (part === null) return null;
      out.push(...part);
    }
    return out;
  }
  return null;
}

function samePrefix(a: number[][], b: number[][]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.includes(-1) || y.includes(-1) || !x.some((c) => y.includes(c)))
      return x.includes(-1) || y.includes(-1);
  }
  return true;
}

/** An inner loop of a loop's body, with what surrounds it inside one iteration. */
interface InnerLoop {
  readonly set: CharSet;
  /** Nothing but optional pieces before it (after it) within the iteration. */
  readonly atStart: boolean;
  readonly atEnd: boolean;
  /** Characters that can come right after it within the iteration. */
  readonly follow: CharSet;
}

function innerLoops(node: Node, atStart: boolean, atEnd: boolean, follow: CharSet, out: InnerLoop[]): void {
  switch (node.kind) {
    case 'loop':
      if (node.max > 1) out.push({ set: facts(node.body).all, atStart, atEnd, follow });
      innerLoops(node.body, atStart, atEnd, union(follow, facts(node.body).first), out);
      return;
    case 'alt':
      for (const alt of node.alts) innerLoops(alt, atStart, atEnd, follow, out);
      return;
    case 'seq': {
      const each = node.items.map(facts);
      node.items.forEach((item, k) => {
        const before = each.slice(0, k).every((f) => f.nullable);
        const afterFacts = each.slice(k + 1);
        const after = afterFacts.every((f) => f.nullable);
        const next: CharSet[] = [];
        for (const f of afterFacts) {
          next.push(f.first);
          if (!f.nullable) break;
        }
        innerLoops(
          item,
          atStart && before,
          atEnd && after,
          after ? union(follow, ...next) : union(...next),
          out,
        );
      });
      return;
    }
    default:
      return;
  }
}

function alternations(node: Node, out: Node[]): void {
  if (node.kind === 'alt') out.push(node);
  if (node.kind === 'alt') for (const a of node.alts) alternations(a, out);
  else if (node.kind === 'seq') for (const a of node.items) alternations(a, out);
  else if (node.kind === 'loop') alternations(node.body, out);
}

const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);

function findProblem(node: Node, source: string): string | null {
  switch (node.kind) {
    case 'loop': {
      if (node.max > 1) {
        const body = facts(node.body);
        if (body.nullable) {
          return `a repeated group of ${show(source)} can match the empty string, so its repetitions are ambiguous`;
        }
        const inner: InnerLoop[] = [];
        innerLoops(node.body, true, true, body.first, inner);
        // The direct body is its own first entry when it is itself a loop: skip nothing, the body
        // is walked below the loop node, so `inner` holds strict inner loops only.
        for (const x of inner) {
          const eatsNext = x.atEnd && overlaps(x.set, body.first);
          const eatsPrevious = x.atStart && overlaps(x.set, body.last);
          const crosses = !x.atEnd && !x.atStart && overlaps(x.set, x.follow) && overlaps(x.set, body.first);
          if (eatsNext || eatsPrevious || crosses) {
            return `${show(source)} repeats a group that holds another repetition able to take characters of the next or previous round (like (a+)+ or (\\w+\\s?)+), which can take exponential time`;
          }
        }
        const alts: Node[] = [];
        alternations(node.body, alts);
        for (const alt of alts) {
          if (alt.kind !== 'alt') continue;
          const words = alt.alts.map(literal);
          for (let i = 0; i < alt.alts.length; i++) {
            for (let j = i + 1; j < alt.alts.length; j++) {
              const a = words[i];
              const b = words[j];
              const ambiguous =
                a !== null && a !== undefined && b !== null && b !== undefined
                  ? samePrefix(a, b)
                  : overlaps(facts(alt.alts[i]!).first, facts(alt.alts[j]!).first);
              if (ambiguous) {
                return `${show(source)} repeats a choice whose alternatives can match the same text (like (a|a)* or (a|ab)*), which can take exponential time`;
              }
            }
          }
        }
      }
      return findProblem(node.body, source);
    }
    case 'seq': {
      const each = node.items.map(facts);
      for (let i = 0; i < node.items.length; i++) {
        const x = node.items[i]!;
        if (x.kind !== 'loop' || x.max !== Number.POSITIVE_INFINITY) continue;
        for (let j = i + 1; j < node.items.length; j++) {
          const y = node.items[j]!;
          if (
            y.kind === 'loop' &&
            y.max === Number.POSITIVE_INFINITY &&
            overlaps(facts(x.body).last, facts(y.body).first)
          ) {
            return `${show(source)} has two repetitions in a row that can match the same characters (like \\w+\\w+ or \\s*-?\\s*), which takes quadratic time; merge them into one`;
          }
          if (!each[j]!.nullable) break;
        }
      }
      for (const item of node.items) {
        const problem = findProblem(item, source);
        if (problem) return problem;
      }
      return null;
    }
    case 'alt':
      for (const alt of node.alts) {
        const problem = findProblem(alt, source);
        if (problem) return problem;
      }
      return null;
    default:
      return null;
  }
}

function hasBackref(node: Node): boolean {
  switch (node.kind) {
    case 'backref':
      return true;
    case 'loop':
      return hasBackref(node.body);
    case 'alt':
      return node.alts.some(hasBackref);
    case 'seq':
      return node.items.some(hasBackref);
    default:
      return false;
  }
}

/** Applies case folding to every character set of a tree (the rules run with `iu`). */
function folded(node: Node): Node {
  switch (node.kind) {
    case 'chars':
      return { kind: 'chars', set: foldCase(node.set) };
    case 'loop':
      return { ...node, body: folded(node.body) };
    case 'alt':
      return { kind: 'alt', alts: node.alts.map(folded) };
    case 'seq':
      return { kind: 'seq', items: node.items.map(folded) };
    default:
      return node;
  }
}

/**
 * Why a regular expression (already known to compile with the `u` flag) could backtrack
 * catastrophically, as a sentence; `null` when it is safe by the rules above.
 *
 * @example
 * ```ts
 * unsafePatternReason('(\\w+\\s?)+$');
 * //=> '"(\\w+\\s?)+$" repeats a group that holds another repetition able to take characters ...'
 * unsafePatternReason('order #\\d+');
 * //=> null
 * ```
 */
export function unsafePatternReason(source: string): string | null {
  if (typeof source !== 'string' || source.length > 1_000) {
    throw new CarekitError<RoutingErrorCode>(
      'invalid_pattern',
      `unsafePatternReason reads a pattern source of at most 1,000 characters, got ${typeof source === 'string' ? `${source.length} characters` : typeof source}`,
    );
  }
  const parser = new Parser(source);
  const tree = folded(parser.parse());
  const trees = [tree, ...parser.lookarounds.map(folded)];
  if (trees.some(hasBackref)) {
    return `${show(source)} has a back-reference, which can make matching take exponential time`;
  }
  for (const t of trees) {
    const problem = findProblem(t, source);
    if (problem) return problem;
  }
  return null;
}
