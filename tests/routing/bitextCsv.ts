// A small RFC 4180 CSV reader for the Bitext data set (quoted fields with commas, doubled
// quotes and line breaks), shared by the accuracy test and bench/classifier.bench.ts.

/** Parses CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface BitextRow {
  readonly instruction: string;
  readonly intent: string;
  readonly category: string;
}

/** The rows of the Bitext customer-support data set, by column name. */
export function parseBitext(text: string): BitextRow[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const col = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`column ${name} missing`);
    return at;
  };
  const [i, n, c] = [col('instruction'), col('intent'), col('category')];
  return rows
    .filter((r) => r.length === header.length)
    .map((r) => ({ instruction: r[i]!, intent: r[n]!, category: r[c]! }));
}

export interface FoldScore {
  readonly accuracy: number;
  readonly macroF1: number;
}

/** Accuracy and macro-F1 (the unweighted mean of per-class F1) of predictions against truth. */
export function score(truth: readonly string[], predicted: readonly string[]): FoldScore {
  const classes = new Set([...truth, ...predicted]);
  let correct = 0;
  let f1Sum = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (predicted[i] === c && truth[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    f1Sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return { accuracy: correct / truth.length, macroF1: f1Sum / classes.size };
}

/** Deterministic k-fold split: example i goes to fold (shuffled position mod k), seeded. */
export function foldsOf(n: number, k: number, seed = 42): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(n);
  order.forEach((example, position) => {
    fold[example] = position % k;
  });
  return fold;
}
