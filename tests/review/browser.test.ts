import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { and, createMachine } from 'xstate';
import { toMermaid } from '../../src/review/index.js';

const root = resolve(import.meta.dirname, '../..');
const executablePath = '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
if (!hasChromium)
  console.warn(
    `Skipping the browser test: ${executablePath} is absent (.ci/run installs Debian's chromium).`,
  );

const STATES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'merged'];

describe.skipIf(!hasChromium)('the review document in a real browser', { timeout: 120_000 }, () => {
  it('renders every diagram offline, names every state, and logs no error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carekit-browser-'));
    const made = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'src/cli/carekit.ts'),
        'review',
        '--config',
        join(root, 'examples/loja-azul.desk.json'),
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-default-apps',
        '--disable-sync',
        '--no-first-run',
        '--metrics-recording-only',
        '--disable-domain-reliability',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      // Nothing may come from the network: the page works from its folder alone.
      await page.route(/^https?:/, (route) => {
        errors.push(`network request to ${route.request().url()}`);
        return route.abort();
      });
      await page.goto(pathToFileURL(join(out, 'workflow.html')).href);
      await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
      const diagrams = await page.locator('pre.mermaid').count();
      expect(diagrams).toBeGreaterThan(0);
      const svgs = await page.locator('pre.mermaid svg').count();
      expect(svgs).toBe(diagrams);
      const svgText = (await page.locator('pre.mermaid svg').allTextContents()).join(' ');
      for (const state of STATES) expect(svgText).toContain(state);
      expect(errors).toEqual([]);
      const shots = join(root, 'test-output');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'review-workflow.png'), fullPage: true });
      expect(existsSync(join(shots, 'review-workflow.png'))).toBe(true);

      // Machines written for the test: nested and parallel states, final states, guarded,
      // self and eventless transitions. Mermaid must accept every diagram toMermaid draws.
      const machines = [
        createMachine({
          id: 'player',
          type: 'parallel',
          states: {
            sound: { initial: 'on', states: { on: { on: { MUTE: 'off' } }, off: { on: { UNMUTE: 'on' } } } },
            video: {
              initial: 'playing',
              states: { playing: { on: { PAUSE: 'paused' } }, paused: { type: 'final' } },
            },
          },
        }),
        createMachine(
          {
            id: 'order',
            initial: 'cart',
            states: {
              cart: {
                on: {
                  PAY: [{ guard: and(['hasItems', 'isVerified']), target: 'paid' }],
                  ADD: { target: 'cart', reenter: true },
                },
              },
              paid: { always: { guard: 'isDigital', target: 'delivered' }, on: { SHIP: 'shipped' } },
              shipped: {
                initial: 'inTransit',
                states: { inTransit: { on: { ARRIVE: 'arrived' } }, arrived: { type: 'final' } },
                onDone: 'delivered',
              },
              delivered: { type: 'final' },
            },
          },
          { guards: { hasItems: () => true, isVerified: () => true, isDigital: () => false } },
        ),
      ];
      const pre = machines.map(
        (m) => `<pre class="mermaid">${toMermaid(m).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`,
      );
      writeFileSync(
        join(out, 'machines.html'),
        `<!doctype html><html><body>${pre.join('')}<script src="mermaid.min.js"></script><script>mermaid.initialize({ startOnLoad: false }); mermaid.run({ querySelector: '.mermaid' }).then(() => { document.body.dataset.rendered = 'true'; }, (e) => { document.body.dataset.rendered = 'error: ' + e.message; });</script></body></html>`,
      );
      await page.goto(pathToFileURL(join(out, 'machines.html')).href);
      await page.waitForSelector('body[data-rendered]', { timeout: 60_000 });
      expect(await page.locator('body').getAttribute('data-rendered')).toBe('true');
      expect(await page.locator('pre.mermaid svg').count()).toBe(machines.length);
      const machineText = (await page.locator('pre.mermaid svg').allTextContents()).join(' ');
      for (const state of [
        'sound',
        'video',
        'playing',
        'paused',
        'cart',
        'paid',
        'shipped',
        'inTransit',
        'arrived',
        'delivered',
      ]) {
        expect(machineText).toContain(state);
      }
      expect(errors).toEqual([]);
      await page.screenshot({ path: join(shots, 'review-machines.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
