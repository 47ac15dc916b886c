import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the README quick start', () => {
  it('is the quickstart example, word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../../examples/quickstart.ts', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
