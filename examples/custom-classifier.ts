// Wrapping a remote model classifier (a stubbed async call stands in for the HTTP request),
// with the built-in rule classifier as the fallback on low confidence or on error.
import {
  type Classification,
  type Classifier,
  chainClassifiers,
  defaultRules,
  ruleClassifier,
} from 'carekit/routing';

/** Stands in for `fetch('https://models.example/classify', ...)`: slow, sometimes unsure, sometimes down. */
async function callRemoteModel(text: string): Promise<{ label: string; score: number }> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  if (text.includes('timeout')) throw new Error('remote model timed out after 2 s');
  if (text.toLowerCase().includes('refund')) return { label: 'refund', score: 0.93 };
  return { label: 'other', score: 0.31 };
}

const remote: Classifier = {
  name: 'remote-model',
  async classify(input): Promise<Classification> {
    const { label, score } = await callRemoteModel(`${input.subject ?? ''}\n${input.body}`);
    return {
      category: label,
      confidence: score,
      tags: [],
      explanation: `remote model said ${label} (${score})`,
    };
  },
};

const classifier = chainClassifiers([
  { classifier: remote, threshold: 0.8 }, // trust the model only when it is sure
  { classifier: ruleClassifier(defaultRules) }, // otherwise (or when it fails) the rules decide
]);

for (const body of [
  'I want a refund for order 4411, the mug arrived broken.',
  'Where is my parcel? The tracking has not moved for a week.',
  'timeout please: my package arrived damaged',
]) {
  const result = await classifier.classify({ subject: 'Help', body, channel: 'email' });
  console.log(`${result.category.padEnd(16)} ${result.confidence.toFixed(2)}  ${result.explanation}`);
}
