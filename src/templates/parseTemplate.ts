import type {
  Branch,
  ComparisonOperator,
  Condition,
  Expression,
  FilterCall,
  ForNode,
  IfNode,
  PathExpression,
  PathSegment,
  SourcePosition,
  TemplateAst,
  TemplateNode,
  Trim,
} from './ast.js';
import { TemplateSyntaxError } from './errors.js';

/** Options of {@link parseTemplate}. */
export interface ParseOptions {
  /** The longest template accepted, in characters. Default 100,000. */
  readonly maxLength?: number;
}

/** The tags carekit understands, for error messages. */
const SUPPORTED_TAGS = 'if, elsif, else, unless, for, raw, comment and #';

// Liquid's whitespace: what `{{-` and `-}}` remove (LiquidJS's BLANK class).
const BLANK = new Set([
  9, 10, 11, 12, 13, 32, 160, 5760, 6158, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202,
  8232, 8233, 8239, 8287, 12288,
]);

type RawToken =
  | { type: 'text'; start: number; end: number; raw: boolean }
  | {
      type: 'output';
      start: number;
      end: number;
      inner: [number, number];
      trim: { left: boolean; right: boolean };
    }
  | {
      type: 'tag';
      start: number;
      end: number;
      name: string;
      args: [number, number];
      trim: { left: boolean; right: boolean };
    };

/**
 * Parses a template into its syntax tree, with the position of every tag and output. Whitespace
 * control (`{{-`, `-}}`, `{%-`, `-%}`) is applied to the text nodes, as Liquid does.
 *
 * @throws {@link TemplateSyntaxError} with `code` `template_syntax` (or `template_too_large`), the
 * line and column, and what was expected.
 * @example
 * ```ts
 * parseTemplate('Hi {{ name | default: "there" }}').body.map((node) => node.kind);
 * //=> ['text', 'output']
 * ```
 */
export function parseTemplate(source: string, options: ParseOptions = {}): TemplateAst {
  if (typeof source !== 'string') {
    throw new TemplateSyntaxError(
      'template_syntax',
      `a template must be a string, got ${typeof source}`,
      1,
      1,
    );
  }
  const maxLength = options.maxLength ?? 100_000;
  if (source.length > maxLength) {
    throw new TemplateSyntaxError(
      'template_too_large',
      `the template is ${source.length} characters long; the limit is ${maxLength}`,
      1,
      1,
    );
  }
  const parser = new Parser(source);
  return { kind: 'template', body: parser.parseDocument() };
}

class Parser {
  private readonly source: string;
  private readonly lineStarts: number[] = [0];
  private tokens: RawToken[] = [];
  private index = 0;
  // Expression cursor.
  private p = 0;
  private end = 0;

  constructor(source: string) {
    this.source = source;
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] as number) + 1 };
  }

  fail(reason: string, offset: number): never {
    const { line, column } = this.position(offset);
    throw new TemplateSyntaxError('template_syntax', reason, line, column);
  }

  // ---- tokens -------------------------------------------------------------------------------

  tokenize(): void {
    const s = this.source;
    const tokens: RawToken[] = [];
    let i = 0;
    while (i < s.length) {
      const open = nextDelimiter(s, i);
      if (open === -1) {
        tokens.push({ type: 'text', start: i, end: s.length, raw: false });
        break;
      }
      if (open > i) tokens.push({ type: 'text', start: i, end: open, raw: false });
      if (s.charCodeAt(open + 1) === 123 /* { */) {
        const token = this.readOutput(open);
        tokens.push(token);
        i = token.end;
      } else {
        const token = this.readTag(open);
        tokens.push(token);
        i = token.end;
        if (token.name === 'raw' || token.name === 'comment') {
          const closer = token.name === 'raw' ? 'endraw' : 'endcomment';
          const close = findBlockEnd(s, i, closer);
          if (close === -1) this.fail(`expected \`{% ${closer} %}\` to close \`${token.name}\``, open);
          if (close > i) tokens.push({ type: 'text', start: i, end: close, raw: true });
          const endTag = this.readTag(close);
          tokens.push(endTag);
          i = endTag.end;
        }
      }
    }
    this.applyWhitespaceControl(tokens);
    this.tokens = tokens;
  }

  readOutput(start: number): RawToken {
    const s = this.source;
    let i = start + 2;
    const left = s.charCodeAt(i) === 45; /* - */
    if (left) i++;
    const innerStart = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 34 || c === 39) {
        const close = skipQuoted(s, i);
        if (close === -1) this.fail('a string in this output is not closed; expected a closing quote', i);
        i = close;
        continue;
      }
      if (c === 125 && s.charCodeAt(i + 1) === 125) {
        const right = i > innerStart && s.charCodeAt(i - 1) === 45;
        return {
          type: 'output',
          start,
          end: i + 2,
          inner: [innerStart, right ? i - 1 : i],
          trim: { left, right },
        };
      }
      i++;
    }
    return this.fail('expected `}}` to close this output', start);
  }

  readTag(start: number): RawToken & { type: 'tag' } {
    const s = this.source;
    const close = s.indexOf('%}', start + 2);
    if (close === -1) this.fail('expected `%}` to close this tag', start);
    let i = start + 2;
    const left = s.charCodeAt(i) === 45;
    if (left) i++;
    const right = close > i && s.charCodeAt(close - 1) === 45;
    const innerEnd = right ? close - 1 : close;
    while (i < innerEnd && BLANK.has(s.charCodeAt(i))) i++;
    let nameEnd = i;
    if (s.charCodeAt(i) === 35 /* # */) nameEnd = i + 1;
    else while (nameEnd < innerEnd && isWordChar(s.charCodeAt(nameEnd))) nameEnd++;
    const name = s.slice(i, nameEnd);
    if (name === '') this.fail(`expected a tag name after \`{%\`; carekit supports ${SUPPORTED_TAGS}`, start);
    return { type: 'tag', start, end: close + 2, name, args: [nameEnd, innerEnd], trim: { left, right } };
  }

  applyWhitespaceControl(tokens: RawToken[]): void {
    const s = this.source;
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as RawToken;
      if (token.type === 'text') continue;
      const before = tokens[t - 1];
      if (token.trim.left && before?.type === 'text' && !before.raw) {
        while (before.end > before.start && BLANK.has(s.charCodeAt(before.end - 1))) before.end--;
      }
      const after = tokens[t + 1];
      if (token.trim.right && after?.type === 'text' && !after.raw) {
        while (after.start < after.end && BLANK.has(s.charCodeAt(after.start))) after.start++;
      }
    }
  }

  // ---- document -----------------------------------------------------------------------------

  parseDocument(): TemplateNode[] {
    this.tokenize();
    const { nodes, closer } = this.parseBlock(new Set());
    if (closer) {
      this.fail(
        `unexpected \`${closer.name}\`: there is no open block for it to close or continue`,
        closer.start,
      );
    }
    return nodes;
  }

  /** Parses nodes until one of `stops` (returned) or the end of the tokens (closer null). */
  parseBlock(stops: ReadonlySet<string>): {
    nodes: TemplateNode[];
    closer: (RawToken & { type: 'tag' }) | null;
  } {
    const nodes: TemplateNode[] = [];
    while (this.index < this.tokens.length) {
      const token = this.tokens[this.index++] as RawToken;
      if (token.type === 'text') {
        if (token.end > token.start)
          nodes.push({ kind: 'text', value: this.source.slice(token.start, token.end) });
        continue;
      }
      if (token.type === 'output') {
        nodes.push(this.parseOutput(token));
        continue;
      }
      if (stops.has(token.name)) return { nodes, closer: token };
      nodes.push(this.parseTag(token));
    }
    return { nodes, closer: null };
  }

  parseTag(token: RawToken & { type: 'tag' }): TemplateNode {
    switch (token.name) {
      case 'if':
      case 'unless':
        return this.parseIf(token);
      case 'for':
        return this.parseFor(token);
      case 'raw':
      case 'comment': {
        this.expectNoArguments(token);
        const content = this.tokens[this.index];
        let value = '';
        if (content?.type === 'text') {
          value = this.source.slice(content.start, content.end);
          this.index++;
        }
        const end = this.tokens[this.index++] as RawToken & { type: 'tag' };
        this.expectNoArguments(end);
        return token.name === 'raw'
          ? { kind: 'raw', value, trim: token.trim, endTrim: end.trim }
          : { kind: 'comment', value, inline: false, trim: token.trim, endTrim: end.trim };
      }
      case '#':
        return {
          kind: 'comment',
          value: this.source.slice(token.args[0], token.args[1]),
          inline: true,
          trim: token.trim,
          endTrim: token.trim,
        };
      case 'elsif':
      case 'else':
      case 'endif':
      case 'endunless':
      case 'endfor':
      case 'endraw':
      case 'endcomment':
        return this.fail(
          `unexpected \`${token.name}\`: there is no open block for it to close or continue`,
          token.start,
        );
      default:
        return this.fail(`unknown tag \`${token.name}\`; carekit supports ${SUPPORTED_TAGS}`, token.start);
    }
  }

  parseIf(token: RawToken & { type: 'tag' }): IfNode {
    const kind = token.name as 'if' | 'unless';
    const endName = kind === 'if' ? 'endif' : 'endunless';
    const at = this.position(token.start);
    const stops = new Set(['elsif', 'else', endName]);
    const branches: Branch[] = [];
    let condition = this.parseConditionOf(token);
    let trim: Trim = token.trim;
    for (;;) {
      const { nodes, closer } = this.parseBlock(stops);
      if (!closer)
        return this.fail(
          `expected \`${endName}\` to close \`${kind}\` opened at ${at.line}:${at.column}`,
          token.start,
        );
      branches.push({ condition, body: nodes, trim });
      if (closer.name === 'elsif') {
        condition = this.parseConditionOf(closer);
        trim = closer.trim;
        continue;
      }
      if (closer.name === endName) {
        this.expectNoArguments(closer);
        return { kind, branches, otherwise: null, elseTrim: null, endTrim: closer.trim, at };
      }
      this.expectNoArguments(closer);
      const rest = this.parseBlock(new Set([endName, 'else', 'elsif']));
      if (!rest.closer || rest.closer.name !== endName) {
        if (rest.closer)
          this.fail(
            `unexpected \`${rest.closer.name}\` after \`else\`; expected \`${endName}\``,
            rest.closer.start,
          );
        return this.fail(
          `expected \`${endName}\` to close \`${kind}\` opened at ${at.line}:${at.column}`,
          token.start,
        );
      }
      this.expectNoArguments(rest.closer);
      return { kind, branches, otherwise: rest.nodes, elseTrim: closer.trim, endTrim: rest.closer.trim, at };
    }
  }

  parseFor(token: RawToken & { type: 'tag' }): ForNode {
    const at = this.position(token.start);
    this.startExpression(token.args);
    this.skipBlank();
    const variable = this.readIdentifier();
    if (variable === null)
      this.fail('expected a loop variable after `for`, as in `for item in order.items`', this.p);
    this.skipBlank();
    if (this.readIdentifier() !== 'in') this.fail(`expected \`in\` after \`for ${variable}\``, this.p);
    this.skipBlank();
    const collection = this.parseValue(true);
    let limit: Expression | null = null;
    let offset: Expression | null = null;
    let reversed = false;
    for (;;) {
      this.skipBlank();
      if (this.p >= this.end) break;
      const start = this.p;
      const word = this.readIdentifier();
      if (word === 'reversed') {
        reversed = true;
        continue;
      }
      if (word !== 'limit' && word !== 'offset') {
        this.fail('expected `limit: n`, `offset: n` or `reversed` in the `for` tag', start);
      }
      this.skipBlank();
      if (this.source.charCodeAt(this.p) !== 58) this.fail(`expected \`:\` after \`${word}\``, this.p);
      this.p++;
      this.skipBlank();
      const value = this.parseValue(false);
      if (word === 'limit') limit = value;
      else offset = value;
      this.skipBlank();
      if (this.source.charCodeAt(this.p) === 44) this.p++;
    }
    const stops = new Set(['else', 'endfor']);
    const { nodes, closer } = this.parseBlock(stops);
    if (!closer)
      return this.fail(`expected \`endfor\` to close \`for\` opened at ${at.line}:${at.column}`, token.start);
    this.expectNoArguments(closer);
    const base = {
      kind: 'for' as const,
      variable,
      collection,
      limit,
      offset,
      reversed,
      body: nodes,
      trim: token.trim,
      at,
    };
    if (closer.name === 'endfor') return { ...base, otherwise: null, elseTrim: null, endTrim: closer.trim };
    const rest = this.parseBlock(new Set(['endfor', 'else']));
    if (rest.closer?.name !== 'endfor') {
      if (rest.closer) this.fail('unexpected `else` after `else`; expected `endfor`', rest.closer.start);
      return this.fail(`expected \`endfor\` to close \`for\` opened at ${at.line}:${at.column}`, token.start);
    }
    this.expectNoArguments(rest.closer);
    return { ...base, otherwise: rest.nodes, elseTrim: closer.trim, endTrim: rest.closer.trim };
  }

  expectNoArguments(token: RawToken & { type: 'tag' }): void {
    for (let i = token.args[0]; i < token.args[1]; i++) {
      if (!BLANK.has(this.source.charCodeAt(i)))
        this.fail(`\`${token.name}\` takes nothing after its name`, i);
    }
  }

  parseOutput(token: RawToken & { type: 'output' }) {
    const [start, end] = token.inner;
    const at = this.position(token.start);
    const inner = this.source.slice(start, end);
    try {
      this.startExpression(token.inner);
      this.skipBlank();
      if (this.p >= this.end) this.fail('expected a value between `{{` and `}}`', token.start);
      const value = this.parseValue(false);
      const filters = this.parseFilters();
      return { kind: 'output' as const, value, filters, trim: token.trim, at };
    } catch (error) {
      // `{{Order Number}}`, `{{Website/App Name}}`: not Liquid, but a placeholder name as canned
      // replies write them. Its trimmed text is looked up as one key.
      const key = inner.trim();
      if (!(error instanceof TemplateSyntaxError) || !PLACEHOLDER.test(key)) throw error;
      const value: PathExpression = { kind: 'path', root: key, segments: [], at };
      return {
        kind: 'output' as const,
        value,
        filters: [],
        trim: token.trim,
        placeholder: true as const,
        at,
      };
    }
  }

  parseConditionOf(token: RawToken & { type: 'tag' }): Condition {
    this.startExpression(token.args);
    this.skipBlank();
    if (this.p >= this.end) this.fail(`expected a condition after \`${token.name}\``, token.start);
    const condition = this.parseOr();
    this.skipBlank();
    if (this.p < this.end)
      this.fail(`unexpected \`${this.peekText()}\` in the condition of \`${token.name}\``, this.p);
    return condition;
  }

  // ---- expressions ---------------------------------------------------------------------------

  startExpression([start, end]: [number, number]): void {
    this.p = start;
    this.end = end;
  }

  skipBlank(): void {
    while (this.p < this.end && BLANK.has(this.source.charCodeAt(this.p))) this.p++;
  }

  peekText(): string {
    const rest = this.source.slice(this.p, this.end).trim();
    return rest.length > 20 ? `${rest.slice(0, 20)}…` : rest;
  }

  readIdentifier(): string | null {
    const start = this.p;
    const first = this.source.charCodeAt(this.p);
    if (!isIdentifierStart(first)) return null;
    this.p++;
    while (this.p < this.end && isWordChar(this.source.charCodeAt(this.p))) this.p++;
    return this.source.slice(start, this.p);
  }

  parseOr(): Condition {
    const left = this.parseNot();
    this.skipBlank();
    const save = this.p;
    const word = this.readIdentifier();
    if (word === 'and' || word === 'or') {
      this.skipBlank();
      return { kind: word, left, right: this.parseOr() };
    }
    this.p = save;
    return left;
  }

  parseNot(): Condition {
    this.skipBlank();
    const save = this.p;
    if (this.readIdentifier() === 'not' && BLANK.has(this.source.charCodeAt(this.p))) {
      return { kind: 'not', operand: this.parseNot() };
    }
    this.p = save;
    const left = this.parseValue(false);
    this.skipBlank();
    const op = this.readOperator();
    if (op === null) return { kind: 'test', value: left };
    this.skipBlank();
    const right = this.parseValue(false);
    return { kind: 'compare', op, left, right };
  }

  readOperator(): ComparisonOperator | null {
    const s = this.source;
    const two = s.slice(this.p, this.p + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      this.p += 2;
      return two;
    }
    const one = s[this.p];
    if (one === '<' || one === '>') {
      this.p += 1;
      return one;
    }
    if (s.startsWith('contains', this.p) && !isWordChar(s.charCodeAt(this.p + 8))) {
      this.p += 8;
      return 'contains';
    }
    return null;
  }

  parseValue(allowRange: boolean): Expression {
    const s = this.source;
    const start = this.p;
    const c = s.charCodeAt(this.p);
    if (this.p >= this.end) this.fail('expected a value (a variable, a string or a number) here', this.p);
    if (c === 34 || c === 39) return { kind: 'literal', value: this.readString() };
    if (isDigit(c) || (c === 45 && isDigit(s.charCodeAt(this.p + 1)))) {
      const match = /^-?\d+(\.\d+)?/.exec(s.slice(this.p, this.end)) as RegExpExecArray;
      this.p += match[0].length;
      if (isIdentifierStart(s.charCodeAt(this.p)))
        this.fail(`\`${this.peekText()}\` is not a number or a variable name`, start);
      const value = Number(match[0]);
      return { kind: 'literal', value: value === 0 ? 0 : value };
    }
    if (c === 40 /* ( */) {
      if (!allowRange) this.fail('a range `(a..b)` is only allowed as the collection of a `for` loop', start);
      this.p++;
      this.skipBlank();
      const from = this.parseValue(false);
      this.skipBlank();
      if (s.slice(this.p, this.p + 2) !== '..')
        this.fail('expected `..` in the range, as in `(1..5)`', this.p);
      this.p += 2;
      this.skipBlank();
      const to = this.parseValue(false);
      this.skipBlank();
      if (s.charCodeAt(this.p) !== 41) this.fail('expected `)` to close the range', this.p);
      this.p++;
      return { kind: 'range', from, to };
    }
    if (c === 91 /* [ */) {
      this.p++;
      this.skipBlank();
      const q = s.charCodeAt(this.p);
      if (q !== 34 && q !== 39)
        this.fail('expected a quoted name in `[...]`, as in `["Order Number"]`', this.p);
      const root = this.readString();
      this.skipBlank();
      if (s.charCodeAt(this.p) !== 93) this.fail('expected `]`', this.p);
      this.p++;
      return this.parsePathRest(root, start);
    }
    const name = this.readIdentifier();
    if (name === null) this.fail(`unexpected \`${this.peekText()}\`; expected a value`, start);
    switch (name) {
      case 'true':
        return { kind: 'literal', value: true };
      case 'false':
        return { kind: 'literal', value: false };
      case 'nil':
      case 'null':
        return { kind: 'literal', value: null };
      case 'empty':
      case 'blank':
        return { kind: name };
      default:
        return this.parsePathRest(name, start);
    }
  }

  parsePathRest(root: string, start: number): PathExpression {
    const s = this.source;
    const segments: PathSegment[] = [];
    for (;;) {
      const c = s.charCodeAt(this.p);
      if (this.p >= this.end) break;
      if (c === 46 /* . */ && s.charCodeAt(this.p + 1) !== 46) {
        this.p++;
        const segmentStart = this.p;
        while (this.p < this.end && isWordChar(s.charCodeAt(this.p))) this.p++;
        if (this.p === segmentStart) this.fail('expected a property name after `.`', segmentStart);
        segments.push(s.slice(segmentStart, this.p));
        continue;
      }
      if (c === 91 /* [ */) {
        this.p++;
        this.skipBlank();
        const index = this.parseValue(false);
        this.skipBlank();
        if (s.charCodeAt(this.p) !== 93) this.fail('expected `]`', this.p);
        this.p++;
        if (
          index.kind === 'literal' &&
          (typeof index.value === 'string' || typeof index.value === 'number')
        ) {
          segments.push(index.value);
        } else if (index.kind === 'path') {
          segments.push(index);
        } else {
          this.fail('expected a string, a number or a variable between `[` and `]`', this.p);
        }
        continue;
      }
      break;
    }
    return { kind: 'path', root, segments, at: this.position(start) };
  }

  readString(): string {
    const s = this.source;
    const quote = s[this.p];
    const start = this.p;
    let out = '';
    this.p++;
    while (this.p < this.end) {
      const ch = s[this.p] as string;
      if (ch === quote) {
        this.p++;
        return out;
      }
      if (ch === '\\' && this.p + 1 < this.end) {
        const next = s[this.p + 1] as string;
        const hex =
          next === 'u' ? /^[0-9a-fA-F]{1,4}/.exec(s.slice(this.p + 2, Math.min(this.p + 6, this.end))) : null;
        if (hex) {
          out += String.fromCharCode(Number.parseInt(hex[0], 16));
          this.p += 2 + hex[0].length;
          continue;
        }
        out += ESCAPES[next] ?? next;
        this.p += 2;
        continue;
      }
      out += ch;
      this.p++;
    }
    return this.fail('expected a closing quote for this string', start);
  }

  parseFilters(): FilterCall[] {
    const s = this.source;
    const filters: FilterCall[] = [];
    for (;;) {
      this.skipBlank();
      if (this.p >= this.end) return filters;
      if (s.charCodeAt(this.p) !== 124 /* | */)
        this.fail(`unexpected \`${this.peekText()}\`; expected \`|\` and a filter, or \`}}\``, this.p);
      this.p++;
      this.skipBlank();
      const start = this.p;
      const name = this.readIdentifier();
      if (name === null) this.fail('expected a filter name after `|`', this.p);
      const args: Expression[] = [];
      const named: [string, Expression][] = [];
      this.skipBlank();
      if (s.charCodeAt(this.p) === 58 /* : */) {
        this.p++;
        for (;;) {
          this.skipBlank();
          const save = this.p;
          const key = this.readIdentifier();
          this.skipBlank();
          if (key !== null && s.charCodeAt(this.p) === 58) {
            this.p++;
            this.skipBlank();
            named.push([key, this.parseValue(false)]);
          } else {
            this.p = save;
            if (named.length > 0) this.fail('positional arguments come before named ones', save);
            args.push(this.parseValue(false));
          }
          this.skipBlank();
          if (s.charCodeAt(this.p) !== 44 /* , */) break;
          this.p++;
        }
      }
      filters.push({ name, args, named, at: this.position(start) });
    }
  }
}

/** What a placeholder name may contain: letters, digits, spaces, `_ - / ' "` (no `. | : [ ] ( )`). */
const PLACEHOLDER = /^[\p{L}\p{N}'"][\p{L}\p{N}\s_\-/'"]*$/u;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

function isWordChar(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c) || c === 45 || c === 63;
}

/** The next `{{` or `{%` at or after `from`, or -1. */
function nextDelimiter(s: string, from: number): number {
  let i = s.indexOf('{', from);
  while (i !== -1) {
    const next = s.charCodeAt(i + 1);
    if (next === 123 || next === 37) return i;
    i = s.indexOf('{', i + 1);
  }
  return -1;
}

/** The index after the closing quote of the string starting at `i`, or -1. */
function skipQuoted(s: string, i: number): number {
  const quote = s.charCodeAt(i);
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === quote) return j + 1;
  }
  return -1;
}

/** Where `{% name %}` (with optional dashes and spaces) starts at or after `from`, or -1. */
function findBlockEnd(s: string, from: number, name: string): number {
  const pattern = new RegExp(`\\{%-?\\s*${name}\\s*-?%\\}`, 'g');
  pattern.lastIndex = from;
  const match = pattern.exec(s);
  return match ? match.index : -1;
}
