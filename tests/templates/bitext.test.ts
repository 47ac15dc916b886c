import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileTemplate, templateVariables } from '../../src/templates/index.js';
import { parseCsv } from '../routing/bitextCsv.js';

const bitext = fileURLToPath(new URL('../../../shared/data/bitext/train.csv', import.meta.url));
const hasBitext = existsSync(bitext);
if (!hasBitext) console.warn(`Skipping the Bitext template test: ${bitext} is absent.`);

describe.skipIf(!hasBitext)('every real canned response of the Bitext data set', () => {
  it('parses, renders leniently, and fills its `{{Name With Spaces}}` placeholders from keys with spaces', () => {
    const rows = parseCsv(readFileSync(bitext, 'utf8'));
    const column = (rows[0] as string[]).indexOf('response');
    const responses = rows.slice(1).map((row) => row[column] ?? '');
    expect(responses.length).toBeGreaterThan(3_000);
    let placeholders = 0;
    for (const response of responses) {
      const template = compileTemplate(response, { channel: 'chat' });
      const names = templateVariables(template.ast);
      // Every placeholder gets its own name back as a value, so none may be left in the output.
      const context = Object.fromEntries(
        names.map((name) => [
          name.startsWith('[') ? (JSON.parse(name.slice(1, -1)) as string) : name,
          `<${name}>`,
        ]),
      );
      const result = template.render(context);
      expect(result.missing).toEqual([]);
      expect(result.output).not.toMatch(/\{\{|\}\}/);
      placeholders += names.length;
      // With no context, nothing throws and every placeholder is reported missing.
      expect(template.render({}).missing.length).toBe(names.length);
    }
    expect(placeholders).toBeGreaterThan(3_000);
  }, 60_000);
});
