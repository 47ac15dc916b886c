import type { TemplateNode } from './ast.js';

/**
 * Attributes whose value is a URL a mail client may follow or load. An output that starts the
 * value of one of them is checked (http, https and mailto only) on escaping channels.
 */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'cite',
  'data',
  'srcset',
  'longdesc',
  'lowsrc',
  'dynsrc',
  'manifest',
  'ping',
  'icon',
  'codebase',
  'archive',
  'classid',
  'usemap',
  'profile',
]);

type Mode = 'text' | 'tag' | 'name' | 'afterName' | 'beforeValue' | 'quoted' | 'unquoted';

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f';

/**
 * The outputs (and `echo` tags) of a template that may print the start of a URL attribute's value
 * (`<a href="{{ url }}">`), found by reading the template's text as HTML in source order. An
 * output after literal text in the value (`href="https://shop.example/{{ id }}"`) is not among
 * them: the template's author chose the scheme. Linear in the template's length.
 */
export function urlAttributeOutputs(body: readonly TemplateNode[]): Set<object> {
  const found = new Set<object>();
  let mode: Mode = 'text';
  let name = '';
  let quote = '';
  let literal = false;
  const text = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const ch = s[i] as string;
      switch (mode) {
        case 'text':
          if (ch === '<' && /[A-Za-z]/.test(s[i + 1] ?? '')) mode = 'tag';
          break;
        case 'tag':
          if (ch === '>') mode = 'text';
          else if (!isSpace(ch) && ch !== '/') {
            mode = 'name';
            name = ch.toLowerCase();
          }
          break;
        case 'name':
          if (ch === '=') mode = 'beforeValue';
          else if (ch === '>') mode = 'text';
          else if (isSpace(ch)) mode = 'afterName';
          else if (ch === '/') mode = 'tag';
          else name += ch.toLowerCase();
          break;
        case 'afterName':
          if (ch === '=') mode = 'beforeValue';
          else if (ch === '>') mode = 'text';
          else if (!isSpace(ch)) {
            mode = 'name';
            name = ch.toLowerCase();
          }
          break;
        case 'beforeValue':
          if (ch === '"' || ch === "'") {
            mode = 'quoted';
            quote = ch;
            literal = false;
          } else if (ch === '>') mode = 'text';
          else if (!isSpace(ch)) {
            mode = 'unquoted';
            literal = true;
          }
          break;
        case 'quoted':
          if (ch === quote) mode = 'tag';
          else if (!isSpace(ch)) literal = true;
          break;
        case 'unquoted':
          if (isSpace(ch)) mode = 'tag';
          else if (ch === '>') mode = 'text';
          else literal = true;
          break;
      }
    }
  };
  const output = (node: object) => {
    if (!URL_ATTRIBUTES.has(name)) return;
    if (mode === 'beforeValue') {
      mode = 'unquoted';
      literal = false;
      found.add(node);
    } else if ((mode === 'quoted' || mode === 'unquoted') && !literal) found.add(node);
  };
  const visit = (nodes: readonly TemplateNode[]): void => {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
        case 'raw':
          text(node.value);
          break;
        case 'output':
        case 'echo':
          output(node);
          break;
        case 'if':
        case 'unless':
          for (const branch of node.branches) visit(branch.body);
          if (node.otherwise) visit(node.otherwise);
          break;
        case 'case':
          for (const when of node.whens) visit(when.body);
          if (node.otherwise) visit(node.otherwise);
          break;
        case 'for':
          visit(node.body);
          if (node.otherwise) visit(node.otherwise);
          break;
        case 'capture':
        case 'tablerow':
        case 'ifchanged':
          visit(node.body);
          break;
        case 'cycle':
          output(node);
          break;
        default:
          break;
      }
    }
  };
  visit(body);
  return found;
}

/** Whether the output so far ends where an attribute value starts (after `="`, `='` or `=`, spaces allowed). */
export function atValueStart(out: string): boolean {
  let i = out.length - 1;
  while (i >= 0 && isSpace(out[i] as string)) i--;
  const ch = out[i];
  return ch === '"' || ch === "'" || ch === '=';
}
