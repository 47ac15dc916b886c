import { badArgument, checkObject, readArgument } from '../model/arguments.js';
import type {
  Condition,
  Expression,
  FilterCall,
  PathExpression,
  TemplateAst,
  TemplateNode,
  Trim,
} from './ast.js';
import type { TemplateErrorCode } from './errors.js';

/**
 * Prints a syntax tree back to template source, in a normal form (single spaces, double quotes).
 * Parsing the printed source gives the same tree.
 *
 * @example
 * ```ts
 * printTemplate(parseTemplate("Hi {{customer.name|default:'you'}}"));
 * //=> 'Hi {{ customer.name | default: "you" }}'
 * ```
 */
export function printTemplate(ast: TemplateAst): string {
  checkAst(ast, 'printTemplate');
  return printNodes(ast.body);
}

/**
 * Refuses anything but a parsed template (`{ kind: 'template', body: [...] }` from parseTemplate).
 *
 * @internal
 */
export function checkAst(ast: unknown, fn: string): void {
  const expected = 'a parsed template (from parseTemplate)';
  const a = checkObject(ast, fn, ['ast'], expected);
  if (
    readArgument(a, 'kind', fn, ['ast']) !== 'template' ||
    !Array.isArray(readArgument(a, 'body', fn, ['ast']))
  )
    badArgument<TemplateErrorCode>(fn, ['ast'], expected, ast, 'invalid_ast');
}

function printNodes(nodes: readonly TemplateNode[]): string {
  let out = '';
  for (const node of nodes) out += printNode(node);
  return out;
}

function tag(body: string, trim: Trim): string {
  return `{%${trim.left ? '-' : ''} ${body} ${trim.right ? '-' : ''}%}`;
}

function printNode(node: TemplateNode): string {
  switch (node.kind) {
    case 'text':
      return node.value;
    case 'output': {
      const open = `{{${node.trim.left ? '-' : ''} `;
      const close = ` ${node.trim.right ? '-' : ''}}}`;
      if (node.placeholder) return `${open}${node.value.kind === 'path' ? node.value.root : ''}${close}`;
      return `${open}${printExpression(node.value)}${node.filters.map(printFilter).join('')}${close}`;
    }
    case 'raw':
      return `${tag('raw', node.trim)}${node.value}${tag('endraw', node.endTrim)}`;
    case 'comment':
      if (node.inline) return `{%${node.trim.left ? '-' : ''} #${node.value}${node.trim.right ? '-' : ''}%}`;
      return `${tag('comment', node.trim)}${node.value}${tag('endcomment', node.endTrim)}`;
    case 'if':
    case 'unless': {
      let out = '';
      node.branches.forEach((branch, index) => {
        const name = index === 0 ? node.kind : 'elsif';
        out += tag(`${name} ${printCondition(branch.condition)}`, branch.trim) + printNodes(branch.body);
      });
      if (node.otherwise)
        out += tag('else', node.elseTrim ?? { left: false, right: false }) + printNodes(node.otherwise);
      return out + tag(node.kind === 'if' ? 'endif' : 'endunless', node.endTrim);
    }
    case 'for': {
      let head = `for ${node.variable} in ${printExpression(node.collection)}`;
      if (node.limit) head += ` limit: ${printExpression(node.limit)}`;
      if (node.offset)
        head += ` offset: ${node.offset === 'continue' ? 'continue' : printExpression(node.offset)}`;
      if (node.reversed) head += ' reversed';
      let out = tag(head, node.trim) + printNodes(node.body);
      if (node.otherwise)
        out += tag('else', node.elseTrim ?? { left: false, right: false }) + printNodes(node.otherwise);
      return out + tag('endfor', node.endTrim);
    }
    case 'echo':
      return tag(`echo ${printExpression(node.value)}${node.filters.map(printFilter).join('')}`, node.trim);
    case 'assign':
      return tag(
        `assign ${node.name} = ${printExpression(node.value)}${node.filters.map(printFilter).join('')}`,
        node.trim,
      );
    case 'capture':
      return `${tag(`capture ${node.name}`, node.trim)}${printNodes(node.body)}${tag('endcapture', node.endTrim)}`;
    case 'case': {
      let out = tag(`case ${printExpression(node.value)}`, node.trim);
      for (const when of node.whens)
        out += tag(`when ${when.values.map(printExpression).join(', ')}`, when.trim) + printNodes(when.body);
      if (node.otherwise)
        out += tag('else', node.elseTrim ?? { left: false, right: false }) + printNodes(node.otherwise);
      return out + tag('endcase', node.endTrim);
    }
    case 'cycle':
      return tag(
        `cycle ${node.group ? `${printExpression(node.group)}: ` : ''}${node.values.map(printExpression).join(', ')}`,
        node.trim,
      );
    case 'increment':
    case 'decrement':
      return tag(`${node.kind} ${node.name}`, node.trim);
    case 'break':
    case 'continue':
      return tag(node.kind, node.trim);
    case 'tablerow': {
      let head = `tablerow ${node.variable} in ${printExpression(node.collection)}`;
      if (node.cols) head += ` cols: ${printExpression(node.cols)}`;
      if (node.limit) head += ` limit: ${printExpression(node.limit)}`;
      if (node.offset) head += ` offset: ${printExpression(node.offset)}`;
      return tag(head, node.trim) + printNodes(node.body) + tag('endtablerow', node.endTrim);
    }
    case 'ifchanged':
      return tag('ifchanged', node.trim) + printNodes(node.body) + tag('endifchanged', node.endTrim);
    case 'render': {
      let head = `render ${printString(node.snippet)}`;
      if (node.mode && node.value) head += ` ${node.mode} ${printExpression(node.value)}`;
      if (node.alias) head += ` as ${node.alias}`;
      for (const [key, value] of node.args) head += `, ${key}: ${printExpression(value)}`;
      return tag(head, node.trim);
    }
  }
}

function printFilter(filter: FilterCall): string {
  const args = [
    ...filter.args.map(printExpression),
    ...filter.named.map(([key, value]) => `${key}: ${printExpression(value)}`),
  ];
  return ` | ${filter.name}${args.length > 0 ? `: ${args.join(', ')}` : ''}`;
}

function printCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'test':
      return printExpression(condition.value);
    case 'compare':
      return `${printExpression(condition.left)} ${condition.op} ${printExpression(condition.right)}`;
    case 'not':
      return `not ${printCondition(condition.operand)}`;
    default:
      return `${printCondition(condition.left)} ${condition.kind} ${printCondition(condition.right)}`;
  }
}

function printNumber(value: number): string {
  const text = String(value);
  return text.includes('e')
    ? value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
    : text;
}

function printString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** Prints an expression as template source. */
export function printExpression(expression: Expression): string {
  const e = checkObject(
    expression,
    'printExpression',
    ['expression'],
    'an expression node of a parsed template',
  );
  if (typeof readArgument(e, 'kind', 'printExpression', ['expression']) !== 'string')
    badArgument<TemplateErrorCode>(
      'printExpression',
      ['expression'],
      'an expression node of a parsed template',
      expression,
      'invalid_ast',
    );
  switch (expression.kind) {
    case 'literal': {
      const { value } = expression;
      if (value === null) return 'nil';
      if (typeof value === 'string') return printString(value);
      if (typeof value === 'number')
        return expression.float && Number.isInteger(value) ? `${printNumber(value)}.0` : printNumber(value);
      return String(value);
    }
    case 'empty':
    case 'blank':
      return expression.kind;
    case 'range':
      return `(${printExpression(expression.from)}..${printExpression(expression.to)})`;
    case 'path':
      return pathText(expression);
  }
}

const IDENTIFIER = /^[A-Za-z_\u0080-\uffff][\w\-?\u0080-\uffff]*$/;

/** The source text of a variable path: `order.items[0].sku`, `["Order Number"]`. */
export function pathText(path: PathExpression): string {
  let out = path.rootKey
    ? `[${printExpression(path.rootKey)}]`
    : IDENTIFIER.test(path.root) && !RESERVED.has(path.root)
      ? path.root
      : `[${printString(path.root)}]`;
  for (const segment of path.segments) {
    if (typeof segment === 'number') out += `[${printNumber(segment)}]`;
    else if (typeof segment === 'string')
      out += /^[\w\-?\u0080-\uffff]+$/.test(segment) ? `.${segment}` : `[${printString(segment)}]`;
    else out += `[${printExpression(segment)}]`;
  }
  return out;
}

const RESERVED = new Set(['true', 'false', 'nil', 'null', 'empty', 'blank', 'and', 'or', 'not', 'contains']);
