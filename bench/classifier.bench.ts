// Classification accuracy on the Bitext customer-support data set (../shared/data/bitext/train.csv):
// 5-fold cross-validation of carekit's naive Bayes for category and intent (accuracy and
// macro-F1), against a unigram-only variant and the majority-class floor, trained and tested
// on the same folds; then classification speed with tinybench.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { type TrainTextClassifierOptions, trainTextClassifier } from '../src/routing/index.js';
import { type BitextRow, foldsOf, parseBitext, score } from '../tests/routing/bitextCsv.js';

const file = fileURLToPath(new URL('../../shared/data/bitext/train.csv', import.meta.url));

function crossValidate(
  rows: readonly BitextRow[],
  label: 'intent' | 'category',
  predict: (train: BitextRow[]) => (text: string) => string,
): { accuracy: number; macroF1: number; ms: number } {
  const folds = foldsOf(rows.length, 5);
  const truth: string[] = [];
  const predicted: string[] = [];
  const started = performance.now();
  for (let f = 0; f < 5; f++) {
    // Train on four folds, test on the fifth: the test fold is never seen in training.
    const classify = predict(rows.filter((_, i) => folds[i] !== f));
    rows.forEach((r, i) => {
      if (folds[i] !== f) return;
      truth.push(r[label]);
      predicted.push(classify(r.instruction));
    });
  }
  return { ...score(truth, predicted), ms: performance.now() - started };
}

function naiveBayes(label: 'intent' | 'category', options: TrainTextClassifierOptions) {
  return (train: BitextRow[]) => {
    const model = trainTextClassifier(
      train.map((r) => ({ text: r.instruction, category: r[label] })),
      options,
    );
    return (text: string) => model.classify({ body: text }).category;
  };
}

function majority(label: 'intent' | 'category') {
  return (train: BitextRow[]) => {
    const counts = new Map<string, number>();
    for (const r of train) counts.set(r[label], (counts.get(r[label]) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    return () => top;
  };
}

export default async function run(): Promise<void> {
  if (!existsSync(file)) {
    console.log(`Skipped: ${file} is absent (the Bitext data set is not in the repository).`);
    return;
  }
  const rows = parseBitext(readFileSync(file, 'utf8'));
  console.log(
    `${rows.length} examples, ${new Set(rows.map((r) => r.intent)).size} intents, ${new Set(rows.map((r) => r.category)).size} categories; 5-fold cross-validation`,
  );
  const table = [];
  for (const label of ['intent', 'category'] as const) {
    for (const [name, predict] of [
      ['carekit naive Bayes (words + word pairs)', naiveBayes(label, {})],
      ['carekit naive Bayes (words only)', naiveBayes(label, { bigrams: false })],
      ['majority class', majority(label)],
    ] as const) {
      const r = crossValidate(rows, label, predict);
      table.push({
        label,
        classifier: name,
        accuracy: r.accuracy.toFixed(4),
        'macro-F1': r.macroF1.toFixed(4),
        'ms (5 folds)': Math.round(r.ms),
      });
    }
  }
  console.table(table);

  const model = trainTextClassifier(rows.map((r) => ({ text: r.instruction, category: r.intent })));
  const texts = rows.slice(0, 1000).map((r) => r.instruction);
  let i = 0;
  const bench = new Bench({ time: 1000 });
  bench.add('carekit classify one text (27 intents)', () => {
    model.classify({ body: texts[i++ % texts.length]! });
  });
  bench.add(`carekit train on ${rows.length} examples`, () => {
    trainTextClassifier(rows.map((r) => ({ text: r.instruction, category: r.intent })));
  });
  await bench.run();
  console.table(bench.table());
}
