import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CarekitValidationError } from '../../../src/model/index.js';
import { createAnswerBook, suggestAnswers } from '../../../src/routing/index.js';
import { foldsOf, parseBitext } from '../bitextCsv.js';

const book = createAnswerBook([
  {
    id: 'track',
    templateId: 'order_status',
    examples: ['where is my order', 'track my parcel', 'has my package shipped'],
    autoChannels: ['chat'],
  },
  {
    id: 'refund',
    templateId: 'refund_confirmation',
    examples: ['I want my money back', 'refund please', 'when do I get my refund'],
  },
  {
    id: 'return',
    templateId: 'return_instructions',
    examples: ['how do I return this', 'I need a return label'],
  },
]);

describe('answer suggestions', () => {
  it('ranks entries with confidence, matched words and whether a bot may answer on the channel', () => {
    const [first, second] = suggestAnswers(
      { subject: 'Parcel', body: 'Where is my parcel? It has not shipped', channel: 'chat' },
      book,
    );
    expect(first).toMatchObject({ entryId: 'track', templateId: 'order_status', autoAllowed: true });
    expect(first?.matched).toEqual(expect.arrayContaining(['where', 'parcel', 'shipped']));
    expect(first?.confidence).toBeGreaterThan(second?.confidence ?? 1);
    const refund = suggestAnswers({ body: 'I want my money back', channel: 'email' }, book, { limit: 1 });
    expect(refund).toHaveLength(1);
    expect(refund[0]).toMatchObject({ entryId: 'refund', autoAllowed: false });
    const total = suggestAnswers({ body: 'return label please' }, book, { limit: 10 }).reduce(
      (sum, s) => sum + s.confidence,
      0,
    );
    expect(total).toBeCloseTo(1, 6);
  });

  it('refuses malformed books with paths', () => {
    expect(() => createAnswerBook([{ id: 'a', templateId: 't', examples: [] }])).toThrow(
      CarekitValidationError,
    );
    try {
      createAnswerBook([
        { id: 'a', templateId: 't', examples: ['x'] },
        { id: 'a', templateId: 't', examples: ['y'], autoChannels: ['fax' as 'chat'] },
      ]);
      expect.unreachable();
    } catch (error) {
      expect((error as CarekitValidationError).issues.map((i) => i.path.join('.'))).toEqual([
        '1.autoChannels.0',
      ]);
    }
    try {
      createAnswerBook([
        { id: 'a', templateId: 't', examples: ['x'] },
        { id: 'a', templateId: 't', examples: ['y'] },
      ]);
      expect.unreachable();
    } catch (error) {
      expect((error as CarekitValidationError).issues[0]).toMatchObject({
        code: 'duplicate_id',
        path: [1, 'id'],
      });
    }
  });
});

const bitext = fileURLToPath(new URL('../../../../shared/data/bitext/train.csv', import.meta.url));
const hasBitext = existsSync(bitext);
if (!hasBitext) console.warn(`Skipping the answer-suggestion accuracy test: ${bitext} is absent.`);

describe.skipIf(!hasBitext)(
  'suggestion accuracy on the Bitext data (intents as frequent questions, 5 folds)',
  () => {
    it('finds the right answer first in at least 95% and in the top 3 in at least 99% of held-out questions', () => {
      const rows = parseBitext(readFileSync(bitext, 'utf8'));
      const folds = foldsOf(rows.length, 5);
      let top1 = 0;
      let top3 = 0;
      for (let k = 0; k < 5; k++) {
        const train = rows.filter((_, i) => folds[i] !== k);
        const test = rows.filter((_, i) => folds[i] === k);
        const intents = [...new Set(train.map((r) => r.intent))];
        const answers = createAnswerBook(
          intents.map((intent) => ({
            id: intent,
            templateId: `answer_${intent}`,
            examples: train.filter((r) => r.intent === intent).map((r) => r.instruction),
          })),
        );
        for (const row of test) {
          const ranked = suggestAnswers({ body: row.instruction }, answers).map((s) => s.entryId);
          if (ranked[0] === row.intent) top1++;
          if (ranked.includes(row.intent)) top3++;
        }
      }
      const n = rows.length;
      console.log(
        `answer suggestions on ${n} Bitext questions: top-1 ${((100 * top1) / n).toFixed(1)}%, top-3 ${((100 * top3) / n).toFixed(1)}%`,
      );
      expect(top1 / n).toBeGreaterThanOrEqual(0.95);
      expect(top3 / n).toBeGreaterThanOrEqual(0.99);
    });
  },
);
