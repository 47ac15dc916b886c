// Turns an example block into the body of an async function that checks its shown results.
// Each `//=> value` is attached to the statement that ends just before it (on the same line or
// the line above): an expression is evaluated and compared, a declaration's variable is compared,
// and `console.log(a, b)` compares its arguments with the values shown side by side.
import ts from 'typescript';

export interface Rewritten {
  /** JavaScript (types stripped, imports removed) that calls `__show(index, thunk, log)`. */
  readonly js: string;
  /** The shown texts, by index. */
  readonly shown: readonly string[];
  /** Names the block imports (they are expected in the scope). */
  readonly imports: readonly string[];
}

function shownTexts(code: string): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  const lines = code.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const col = line.indexOf('//=>');
    if (col >= 0) {
      let text = line.slice(col + 4).trim();
      // A result that continues on the next comment lines (`//   more`).
      while (i + 1 < lines.length && /^\s*\/\/(?!=>)\s/.test(lines[i + 1]!) && !parses(text)) {
        i++;
        offset += line.length + 1;
        text += ` ${lines[i]!.replace(/^\s*\/\//, '').trim()}`;
      }
      out.push({ at: offset + col, text });
    }
    offset += (lines[i] ?? '').length + 1;
  }
  return out;
}

function parses(text: string): boolean {
  const file = ts.createSourceFile('x.ts', `(${text});`, ts.ScriptTarget.ES2022, true);
  return (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0;
}

export function rewrite(code: string): Rewritten {
  const file = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const statements: ts.Statement[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) statements.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const shown = shownTexts(code);
  const edits: { start: number; end: number; text: string }[] = [];
  shown.forEach(({ at }, index) => {
    // The innermost statement ending last before the comment.
    let best: ts.Statement | undefined;
    for (const s of statements)
      if (
        s.end <= at &&
        (!best || s.end > best.end || (s.end === best.end && s.getStart() > best.getStart()))
      )
        best = s;
    if (!best) throw new Error(`//=> #${index + 1} follows no statement`);
    if (ts.isVariableStatement(best)) {
      const declaration = best.declarationList.declarations.at(-1)!;
      const name = declaration.name.getText();
      edits.push({
        start: best.end,
        end: best.end,
        text: `\nawait __show(${index}, async () => (${name}));`,
      });
      return;
    }
    const expression = (best as ts.ExpressionStatement).expression;
    const isLog =
      ts.isCallExpression(expression) &&
      ts.isPropertyAccessExpression(expression.expression) &&
      expression.expression.getText() === 'console.log';
    const inner = isLog
      ? `[${(expression as ts.CallExpression).arguments.map((a) => a.getText()).join(', ')}]`
      : `(${expression.getText()})`;
    edits.push({
      start: best.getStart(),
      end: best.end,
      text: `await __show(${index}, async () => ${inner}, ${isLog});`,
    });
  });
  const imports: string[] = [];
  for (const s of file.statements)
    if (ts.isImportDeclaration(s)) {
      const bindings = s.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const e of bindings.elements) imports.push(e.name.text);
      if (s.importClause?.name) imports.push(s.importClause.name.text);
      edits.push({ start: s.getStart(), end: s.end, text: '' });
    }
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const js = ts.transpileModule(out, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  return { js, shown: shown.map((s) => s.text), imports };
}
