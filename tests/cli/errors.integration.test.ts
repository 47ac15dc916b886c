import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/carekit.js';

const root = resolve(import.meta.dirname, '../..');
const desk = join(root, 'examples/loja-azul.desk.json');

async function run(...args: string[]): Promise<{ code: number; err: string; out: string }> {
  const err: string[] = [];
  const out: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.map(String).join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.map(String).join(' ')));
  const code = await main(args);
  return { code, err: err.join('\n'), out: out.join('\n') };
}

afterEach(() => vi.restoreAllMocks());

describe('carekit on files it cannot use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carekit-cli-'));

  it('a configuration module that throws: one line, exit 3, no stack', async () => {
    const file = join(dir, 'throws.mjs');
    writeFileSync(file, "throw new Error('no database here');\n");
    const { code, err } = await run('validate', '--config', file);
    expect(code).toBe(3);
    expect(err).toBe(`carekit: ${file}: the configuration module failed to load: no database here`);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a .ts configuration: exit 3 with what to do', async () => {
    const file = join(dir, 'desk.ts');
    writeFileSync(file, 'export default {};\n');
    const { code, err } = await run('validate', '--config', file);
    expect(code).toBe(3);
    expect(err).toMatch(/is TypeScript.*compile it/);
  });

  it('a directory as --events: exit 3', async () => {
    const { code, err } = await run('report', '--events', dir);
    expect(code).toBe(3);
    expect(err).toBe(`carekit: ${dir}: is a directory, not an event log`);
  });

  it('an unwritable --out: exit 3 naming the file and the system error', async () => {
    const locked = join(dir, 'locked');
    writeFileSync(locked, 'a file where a directory should be');
    const { code, err } = await run('review', '--config', desk, '--out', join(locked, 'sub'));
    expect(code).toBe(3);
    expect(err.split('\n').at(-1)).toMatch(/^carekit: .*locked\/sub: (EEXIST|ENOTDIR)/);
    chmodSync(locked, 0o644);
  });

  it('usage errors exit 2; --debug adds the stack trace', async () => {
    expect((await run('frobnicate')).code).toBe(2);
    const file = join(dir, 'throws2.mjs');
    writeFileSync(file, "throw new Error('boom');\n");
    const { code, err } = await run('validate', '--config', file, '--debug');
    expect(code).toBe(3);
    expect(err).toMatch(/\n\s+at /);
  });
});

describe('carekit validate', () => {
  it('reports an unknown template channel, an unknown filter and an unclosed if', async () => {
    const config = JSON.parse(readFileSync(desk, 'utf8'));
    const template = config.templates[0];
    template.channels = ['Email'];
    const locale = Object.keys(template.locales)[0] as string;
    template.locales[locale].variants = ['Hi {{ customer.name | shout }}', '{% if ticket.id %}open'];
    const file = join(mkdtempSync(join(tmpdir(), 'carekit-cli-')), 'bad.json');
    writeFileSync(file, JSON.stringify(config));
    const { code, err } = await run('validate', '--config', file);
    expect(code).toBe(1);
    expect(err).toMatch(/unknown_channel/);
    // The template helper makes lintTemplate report unknown filters; until then only syntax.
    expect(err).toMatch(/\[(unknown_filter|template_syntax)\]/);
    expect(err).toMatch(/variants\[1\]/);
  });

  it('the example configuration is still valid', async () => {
    expect((await run('validate', '--config', desk)).code).toBe(0);
  });
});
