import type {
  Branch,
  CaseNode,
  ComparisonOperator,
  Condition,
  CycleNode,
  Expression,
  FilterCall,
  ForNode,
  IfNode,
  PathExpression,
  PathSegment,
  RenderNode,
  SourcePosition,
  TablerowNode,
  TemplateAst,
  TemplateNode,
  Trim,
  WhenBranch,
} from './ast.js';
import { TemplateSyntaxError } from './errors.js';

/** Options of {@link parseTemplate}. */
export interface ParseOptions {
  /** The longest template accepted, in characters. Default 100,000. */
  readonly maxLength?: number;
  /**
   * The deepest nesting accepted: blocks inside blocks, `and`/`or`/`not` in a condition and
   * brackets in a path all count one level. Default 100 (Shopify Liquid's block nesting limit).
   */
  readonly maxDepth?: number;
}

/** The tags carekit understands, for error messages. */
const SUPPORTED_TAGS =
  'assign, capture, case, comment, cycle, decrement, echo, for, if, ifchanged, increment, liquid, raw, render, tablerow, unless, break, continue and #';

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
  const parser = new Parser(source, options.maxDepth ?? 100);
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
  private depth = 0;
  private readonly maxDepth: number;

  constructor(source: string, maxDepth: number) {
    this.source = source;
    this.maxDepth = maxDepth;
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

  /** Enters one level of nesting; the parser's recursion is bounded by `maxDepth`. */
  enter(offset: number): void {
    if (++this.depth > this.maxDepth) {
      const { line, column } = this.position(offset);
      throw new TemplateSyntaxError(
        'template_too_deep',
        `the template nests deeper than the limit of ${this.maxDepth} levels`,
        line,
        column,
      );
    }
  }

  leave(): void {
    this.depth--;
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
        i = token.end;
        if (token.name === 'liquid') {
          this.expandLiquid(token, tokens);
          continue;
        }
        tokens.push(token);
        if (token.name === 'raw' || token.name === 'comment') {
          const closer = token.name === 'raw' ? 'endraw' : 'endcomment';
          const close = token.name === 'raw' ? findBlockEnd(s, i, closer) : this.findCommentEnd(i);
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

  /**
   * Where the `endcomment` closing a comment body starting at `from` is: nested comments count, a
   * `raw` block inside is skipped, and `endcomment` may be followed by anything (Shopify's rules).
   */
  findCommentEnd(from: number): number {
    const s = this.source;
    let depth = 1;
    let i = from;
    for (;;) {
      const open = s.indexOf('{%', i);
      if (open === -1) return -1;
      const close = s.indexOf('%}', open + 2);
      if (close === -1) return -1;
      let j = open + 2;
      if (s.charCodeAt(j) === 45) j++;
      while (j < close && BLANK.has(s.charCodeAt(j))) j++;
      let k = j;
      while (k < close && isWordChar(s.charCodeAt(k))) k++;
      const name = s.slice(j, k);
      if (name === 'raw') {
        const end = findBlockEnd(s, close + 2, 'endraw');
        if (end === -1) return -1;
        i = end + 2;
        continue;
      }
      if (name === 'comment') depth++;
      else if (name === 'endcomment' && --depth === 0) return open;
      i = close + 2;
    }
  }

  /** The lines of `{% liquid %}`, each a tag without delimiters, as tag tokens. */
  expandLiquid(token: RawToken & { type: 'tag' }, tokens: RawToken[]): void {
    const s = this.source;
    const [from, to] = token.args;
    const lines: RawToken[] = [];
    let lineStart = from;
    let inComment = -1;
    while (lineStart <= to) {
      let lineEnd = s.indexOf('\n', lineStart);
      if (lineEnd === -1 || lineEnd > to) lineEnd = to;
      let i = lineStart;
      while (i < lineEnd && BLANK.has(s.charCodeAt(i))) i++;
      let nameEnd = i;
      if (s.charCodeAt(i) === 35) nameEnd = i + 1;
      else while (nameEnd < lineEnd && isWordChar(s.charCodeAt(nameEnd))) nameEnd++;
      const name = s.slice(i, nameEnd);
      const line: RawToken & { type: 'tag' } = {
        type: 'tag',
        start: i,
        end: lineEnd,
        name,
        args: [nameEnd, lineEnd],
        trim: { left: false, right: false },
      };
      if (inComment >= 0) {
        if (name === 'endcomment') {
          if (i > inComment) lines.push({ type: 'text', start: inComment, end: lineStart, raw: true });
          lines.push(line);
          inComment = -1;
        }
      } else if (name === 'comment') {
        lines.push(line);
        inComment = lineEnd + 1;
      } else if (name === 'raw' || name === 'liquid') {
        this.fail(`\`${name}\` cannot be used inside \`liquid\``, i);
      } else if (name !== '') {
        lines.push(line);
      }
      lineStart = lineEnd + 1;
    }
    if (inComment >= 0)
      this.fail('expected `endcomment` to close `comment` in this `liquid` tag', token.start);
    if (lines.length === 0) {
      lines.push({
        type: 'tag',
        start: token.start,
        end: token.end,
        name: '#',
        args: [to, to],
        trim: { left: false, right: false },
      });
    }
    const first = lines[0] as RawToken & { type: 'tag' };
    const last = lines[lines.length - 1] as RawToken & { type: 'tag' };
    if (first.type === 'tag') first.trim = { left: token.trim.left, right: first.trim.right };
    if (last.type === 'tag') last.trim = { left: last.trim.left, right: token.trim.right };
    for (const line of lines) tokens.push(line);
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
    const startToken = this.tokens[this.index - 1];
    this.enter(startToken ? startToken.start : 0);
    try {
      return this.parseNodes(nodes, stops);
    } finally {
      this.leave();
    }
  }

  parseNodes(
    nodes: TemplateNode[],
    stops: ReadonlySet<string>,
  ): { nodes: TemplateNode[]; closer: (RawToken & { type: 'tag' }) | null } {
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
      case 'tablerow':
        return this.parseTablerow(token);
      case 'case':
        return this.parseCase(token);
      case 'assign':
        return this.parseAssign(token);
      case 'echo': {
        const at = this.position(token.start);
        this.startExpression(token.args);
        this.skipBlank();
        if (this.p >= this.end) this.fail('expected a value after `echo`', token.start);
        const value = this.parseValue();
        const filters = this.parseFilters();
        return { kind: 'echo', value, filters, trim: token.trim, at };
      }
      case 'capture': {
        const at = this.position(token.start);
        const name = this.readTagName(token, 'capture');
        const { nodes, closer } = this.parseBlock(new Set(['endcapture']));
        if (!closer)
          return this.fail(
            `expected \`endcapture\` to close \`capture\` opened at ${at.line}:${at.column}`,
            token.start,
          );
        this.expectNoArguments(closer);
        return { kind: 'capture', name, body: nodes, trim: token.trim, endTrim: closer.trim, at };
      }
      case 'ifchanged': {
        const at = this.position(token.start);
        this.expectNoArguments(token);
        const { nodes, closer } = this.parseBlock(new Set(['endifchanged']));
        if (!closer)
          return this.fail(
            `expected \`endifchanged\` to close \`ifchanged\` opened at ${at.line}:${at.column}`,
            token.start,
          );
        this.expectNoArguments(closer);
        return { kind: 'ifchanged', body: nodes, trim: token.trim, endTrim: closer.trim, at };
      }
      case 'increment':
      case 'decrement':
        return {
          kind: token.name,
          name: this.readTagName(token, token.name),
          trim: token.trim,
          at: this.position(token.start),
        };
      case 'break':
      case 'continue':
        this.expectNoArguments(token);
        return { kind: token.name, trim: token.trim, at: this.position(token.start) };
      case 'cycle':
        return this.parseCycle(token);
      case 'render':
        return this.parseRender(token);
      case 'include':
        return this.fail(
          '`include` is deprecated in Liquid and carekit does not support it; use `render`, whose snippet has its own scope',
          token.start,
        );
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
        if (token.name === 'raw') this.expectNoArguments(end);
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
      case 'when':
      case 'endif':
      case 'endunless':
      case 'endfor':
      case 'endraw':
      case 'endcomment':
      case 'endcase':
      case 'endcapture':
      case 'endtablerow':
      case 'endifchanged':
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

  /** Skips blanks and one comma before a loop tag's next attribute; false when none is left. */
  skipToAttribute(): boolean {
    this.skipBlank();
    if (this.source.charCodeAt(this.p) === 44 && this.p < this.end) {
      this.p++;
      this.skipBlank();
    }
    return this.p < this.end;
  }

  /** The head of a loop tag (`for item in order.items`): its variable and its collection. */
  parseLoopHead(tag: 'for' | 'tablerow', example: string): { variable: string; collection: Expression } {
    this.skipBlank();
    const variable = this.readIdentifier();
    if (variable === null)
      this.fail(`expected a loop variable after \`${tag}\`, as in \`${example}\``, this.p);
    this.skipBlank();
    if (this.readIdentifier() !== 'in') this.fail(`expected \`in\` after \`${tag} ${variable}\``, this.p);
    this.skipBlank();
    return { variable, collection: this.parseValue() };
  }

  parseFor(token: RawToken & { type: 'tag' }): ForNode {
    const at = this.position(token.start);
    this.startExpression(token.args);
    const { variable, collection } = this.parseLoopHead('for', 'for item in order.items');
    let limit: Expression | null = null;
    let offset: Expression | 'continue' | null = null;
    let reversed = false;
    for (;;) {
      if (!this.skipToAttribute()) break;
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
      const save = this.p;
      if (word === 'offset' && this.readIdentifier() === 'continue' && !this.continuesPath()) {
        offset = 'continue';
        continue;
      }
      this.p = save;
      const value = this.parseValue();
      if (word === 'limit') limit = value;
      else offset = value;
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

  /** Whether the identifier just read goes on as a path (`continue.x`), so it is a variable. */
  continuesPath(): boolean {
    const c = this.source.charCodeAt(this.p);
    return this.p < this.end && (c === 46 || c === 91);
  }

  parseTablerow(token: RawToken & { type: 'tag' }): TablerowNode {
    const at = this.position(token.start);
    this.startExpression(token.args);
    const { variable, collection } = this.parseLoopHead('tablerow', 'tablerow item in items');
    const attributes: Record<'cols' | 'limit' | 'offset', Expression | null> = {
      cols: null,
      limit: null,
      offset: null,
    };
    for (;;) {
      if (!this.skipToAttribute()) break;
      const start = this.p;
      const word = this.readIdentifier();
      if (word !== 'cols' && word !== 'limit' && word !== 'offset')
        this.fail('expected `cols: n`, `limit: n` or `offset: n` in the `tablerow` tag', start);
      this.skipBlank();
      if (this.source.charCodeAt(this.p) !== 58) this.fail(`expected \`:\` after \`${word}\``, this.p);
      this.p++;
      this.skipBlank();
      attributes[word] = this.parseValue();
    }
    const { nodes, closer } = this.parseBlock(new Set(['endtablerow']));
    if (!closer)
      return this.fail(
        `expected \`endtablerow\` to close \`tablerow\` opened at ${at.line}:${at.column}`,
        token.start,
      );
    this.expectNoArguments(closer);
    return {
      kind: 'tablerow',
      variable,
      collection,
      ...attributes,
      body: nodes,
      trim: token.trim,
      endTrim: closer.trim,
      at,
    };
  }

  parseCase(token: RawToken & { type: 'tag' }): CaseNode {
    const at = this.position(token.start);
    this.startExpression(token.args);
    this.skipBlank();
    if (this.p >= this.end) this.fail('expected a value after `case`', token.start);
    const value = this.parseValue();
    this.expectEnd('case');
    // Text between `case` and the first `when` is never printed (Liquid ignores it).
    const stops = new Set(['when', 'else', 'endcase']);
    let { closer } = this.parseBlock(stops);
    const whens: WhenBranch[] = [];
    for (;;) {
      if (!closer)
        return this.fail(
          `expected \`endcase\` to close \`case\` opened at ${at.line}:${at.column}`,
          token.start,
        );
      if (closer.name === 'endcase') {
        this.expectNoArguments(closer);
        return {
          kind: 'case',
          value,
          whens,
          otherwise: null,
          trim: token.trim,
          elseTrim: null,
          endTrim: closer.trim,
          at,
        };
      }
      if (closer.name === 'else') {
        this.expectNoArguments(closer);
        const rest = this.parseBlock(new Set(['endcase', 'when', 'else']));
        if (rest.closer?.name !== 'endcase') {
          if (rest.closer)
            this.fail(
              `unexpected \`${rest.closer.name}\` after \`else\`; expected \`endcase\``,
              rest.closer.start,
            );
          return this.fail(
            `expected \`endcase\` to close \`case\` opened at ${at.line}:${at.column}`,
            token.start,
          );
        }
        this.expectNoArguments(rest.closer);
        return {
          kind: 'case',
          value,
          whens,
          otherwise: rest.nodes,
          trim: token.trim,
          elseTrim: closer.trim,
          endTrim: rest.closer.trim,
          at,
        };
      }
      const values = this.parseWhenValues(closer);
      const trim = closer.trim;
      const next = this.parseBlock(stops);
      whens.push({ values, body: next.nodes, trim });
      closer = next.closer;
    }
  }

  parseWhenValues(token: RawToken & { type: 'tag' }): Expression[] {
    this.startExpression(token.args);
    this.skipBlank();
    if (this.p >= this.end) this.fail('expected a value after `when`', token.start);
    const values: Expression[] = [];
    for (;;) {
      values.push(this.parseValue());
      this.skipBlank();
      if (this.p >= this.end) return values;
      if (this.source.charCodeAt(this.p) === 44) this.p++;
      else if (this.readIdentifier() !== 'or')
        this.fail(
          `unexpected \`${this.peekText()}\`; separate the values of \`when\` with \`,\` or \`or\``,
          this.p,
        );
      this.skipBlank();
    }
  }

  parseAssign(token: RawToken & { type: 'tag' }): TemplateNode {
    const at = this.position(token.start);
    this.startExpression(token.args);
    this.skipBlank();
    const name = this.readIdentifier();
    if (name === null) this.fail('expected a variable name after `assign`, as in `assign total = 3`', this.p);
    this.skipBlank();
    if (this.source.charCodeAt(this.p) !== 61 || this.p >= this.end)
      this.fail(`expected \`=\` after \`assign ${name}\``, this.p);
    this.p++;
    this.skipBlank();
    if (this.p >= this.end) this.fail(`expected a value after \`assign ${name} =\``, this.p);
    const value = this.parseValue();
    const filters = this.parseFilters();
    return { kind: 'assign', name, value, filters, trim: token.trim, at };
  }

  parseCycle(token: RawToken & { type: 'tag' }): CycleNode {
    const at = this.position(token.start);
    this.startExpression(token.args);
    this.skipBlank();
    if (this.p >= this.end)
      this.fail('expected values after `cycle`, as in `cycle "odd", "even"`', token.start);
    let group: Expression | null = null;
    const values: Expression[] = [this.parseValue()];
    this.skipBlank();
    if (this.source.charCodeAt(this.p) === 58 && this.p < this.end) {
      this.p++;
      group = values.pop() as Expression;
      this.skipBlank();
      values.push(this.parseValue());
      this.skipBlank();
    }
    while (this.p < this.end && this.source.charCodeAt(this.p) === 44) {
      this.p++;
      this.skipBlank();
      values.push(this.parseValue());
      this.skipBlank();
    }
    this.expectEnd('cycle');
    return { kind: 'cycle', group, values, trim: token.trim, at };
  }

  parseRender(token: RawToken & { type: 'tag' }): RenderNode {
    const at = this.position(token.start);
    this.startExpression(token.args);
    this.skipBlank();
    const q = this.source.charCodeAt(this.p);
    if ((q !== 34 && q !== 39) || this.p >= this.end)
      this.fail('expected the quoted name of a snippet after `render`, as in `render "signature"`', this.p);
    const snippet = this.readString();
    let mode: 'with' | 'for' | null = null;
    let value: Expression | null = null;
    let alias: string | null = null;
    const args: [string, Expression][] = [];
    this.skipBlank();
    const save = this.p;
    const word = this.readIdentifier();
    if ((word === 'with' || word === 'for') && BLANK.has(this.source.charCodeAt(this.p))) {
      mode = word;
      this.skipBlank();
      value = this.parseValue();
      this.skipBlank();
      const asSave = this.p;
      if (this.readIdentifier() === 'as') {
        this.skipBlank();
        alias = this.readIdentifier();
        if (alias === null) this.fail('expected a name after `as`', this.p);
      } else this.p = asSave;
    } else this.p = save;
    for (;;) {
      this.skipBlank();
      if (this.p < this.end && this.source.charCodeAt(this.p) === 44) {
        this.p++;
        this.skipBlank();
      }
      if (this.p >= this.end) break;
      const start = this.p;
      const key = this.readIdentifier();
      this.skipBlank();
      if (key === null || this.source.charCodeAt(this.p) !== 58)
        this.fail('expected `name: value` arguments after the snippet name', start);
      this.p++;
      this.skipBlank();
      args.push([key, this.parseValue()]);
    }
    return { kind: 'render', snippet, mode, value, alias, args, trim: token.trim, at };
  }

  readTagName(token: RawToken & { type: 'tag' }, tag: string): string {
    this.startExpression(token.args);
    this.skipBlank();
    const name = this.readIdentifier();
    if (name === null) this.fail(`expected a variable name after \`${tag}\``, this.p);
    this.expectEnd(tag);
    return name;
  }

  expectEnd(tag: string): void {
    this.skipBlank();
    if (this.p < this.end) this.fail(`unexpected \`${this.peekText()}\` in the \`${tag}\` tag`, this.p);
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
    const key = inner.trim();
    // A name with inner spaces or slashes and no quotes is never a Liquid output: skip the attempt.
    if (PLACEHOLDER.test(key) && /[\s/]/.test(key) && !/['"]/.test(key)) {
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
    try {
      this.startExpression(token.inner);
      this.skipBlank();
      if (this.p >= this.end) this.fail('expected a value between `{{` and `}}`', token.start);
      const value = this.parseValue();
      const filters = this.parseFilters();
      return { kind: 'output' as const, value, filters, trim: token.trim, at };
    } catch (error) {
      // `{{Order Number}}`, `{{Website/App Name}}`: not Liquid, but a placeholder name as canned
      // replies write them. Its trimmed text is looked up as one key.
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
      this.enter(save);
      try {
        return { kind: word, left, right: this.parseOr() };
      } finally {
        this.leave();
      }
    }
    this.p = save;
    return left;
  }

  parseNot(): Condition {
    this.skipBlank();
    const save = this.p;
    if (this.readIdentifier() === 'not' && BLANK.has(this.source.charCodeAt(this.p))) {
      this.enter(save);
      try {
        return { kind: 'not', operand: this.parseNot() };
      } finally {
        this.leave();
      }
    }
    this.p = save;
    const left = this.parseValue();
    this.skipBlank();
    const op = this.readOperator();
    if (op === null) return { kind: 'test', value: left };
    this.skipBlank();
    const right = this.parseValue();
    return { kind: 'compare', op, left, right };
  }

  readOperator(): ComparisonOperator | null {
    const s = this.source;
    const two = s.slice(this.p, this.p + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '<>') {
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

  parseValue(): Expression {
    this.enter(this.p);
    try {
      return this.parseValueInner();
    } finally {
      this.leave();
    }
  }

  parseValueInner(): Expression {
    const s = this.source;
    const start = this.p;
    const c = s.charCodeAt(this.p);
    if (this.p >= this.end) this.fail('expected a value (a variable, a string or a number) here', this.p);
    if (c === 34 || c === 39) return { kind: 'literal', value: this.readString() };
    if (isDigit(c) || (c === 45 && isDigit(s.charCodeAt(this.p + 1)))) {
      const match = /^-?\d+(\.\d+)?/.exec(
        s.slice(this.p, Math.min(this.end, this.p + 400)),
      ) as RegExpExecArray;
      this.p += match[0].length;
      if (isIdentifierStart(s.charCodeAt(this.p)) && this.p < this.end)
        this.fail(`\`${this.peekText()}\` is not a number or a variable name`, start);
      const value = Number(match[0]);
      const normal = value === 0 ? 0 : value;
      return match[1] !== undefined && Number.isInteger(normal)
        ? { kind: 'literal', value: normal, float: true }
        : { kind: 'literal', value: normal };
    }
    if (c === 40 /* ( */) {
      this.p++;
      this.skipBlank();
      const from = this.parseValue();
      this.skipBlank();
      if (s.slice(this.p, this.p + 2) !== '..' || this.p + 2 > this.end)
        this.fail('expected `..` in the range, as in `(1..5)`', this.p);
      this.p += 2;
      this.skipBlank();
      const to = this.parseValue();
      this.skipBlank();
      if (s.charCodeAt(this.p) !== 41 || this.p >= this.end)
        this.fail('expected `)` to close the range', this.p);
      this.p++;
      return { kind: 'range', from, to };
    }
    if (c === 91 /* [ */) {
      this.p++;
      this.skipBlank();
      const q = s.charCodeAt(this.p);
      if (q === 34 || q === 39) {
        const root = this.readString();
        this.skipBlank();
        if (s.charCodeAt(this.p) !== 93 || this.p >= this.end) this.fail('expected `]`', this.p);
        this.p++;
        return this.parsePathRest(root, start);
      }
      const key = this.parseValue();
      this.skipBlank();
      if (s.charCodeAt(this.p) !== 93 || this.p >= this.end) this.fail('expected `]`', this.p);
      this.p++;
      return this.parsePathRest('', start, key);
    }
    const name = this.readIdentifier();
    if (name === null) this.fail(`unexpected \`${this.peekText()}\`; expected a value`, start);
    // `nil.foo` and `true.x` are variable lookups in Liquid, not literals.
    const next = s.charCodeAt(this.p);
    if (this.p < this.end && (next === 91 || (next === 46 && s.charCodeAt(this.p + 1) !== 46)))
      return this.parsePathRest(name, start);
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

  parsePathRest(root: string, start: number, rootKey?: Expression): PathExpression {
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
        const index = this.parseValue();
        this.skipBlank();
        if (s.charCodeAt(this.p) !== 93 || this.p >= this.end) this.fail('expected `]`', this.p);
        this.p++;
        if (
          index.kind === 'literal' &&
          (typeof index.value === 'string' || typeof index.value === 'number') &&
          !index.float
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
    const at = this.position(start);
    return rootKey ? { kind: 'path', root, rootKey, segments, at } : { kind: 'path', root, segments, at };
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
      if (s.charCodeAt(this.p) === 58 /* : */ && this.p < this.end) {
        this.p++;
        for (;;) {
          this.skipBlank();
          // A trailing `:` or `,` before the next filter or the end is accepted, as Liquid accepts it.
          if (this.p >= this.end || s.charCodeAt(this.p) === 124) break;
          const save = this.p;
          const key = this.readIdentifier();
          this.skipBlank();
          if (key !== null && s.charCodeAt(this.p) === 58 && this.p < this.end) {
            this.p++;
            this.skipBlank();
            named.push([key, this.parseValue()]);
          } else {
            this.p = save;
            if (named.length > 0) this.fail('positional arguments come before named ones', save);
            args.push(this.parseValue());
          }
          this.skipBlank();
          if (s.charCodeAt(this.p) !== 44 /* , */ || this.p >= this.end) break;
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
