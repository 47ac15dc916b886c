import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generated, regenerate } from '../../scripts/generate-docs.js';

const root = join(import.meta.dirname, '../..');

describe('generated documentation', () => {
  it.each(Object.keys(generated))('%s is up to date (run `npm run docs:generate`)', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(regenerate(text, generated[file]!)).toBe(text);
  });

  it('refuses a document without its markers', () => {
    expect(() => regenerate('no markers', { x: () => '' })).toThrow(/generated:x/);
  });
});
