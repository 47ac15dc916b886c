import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { and, createMachine } from 'xstate';
import { toMermaid } from '../../src/review/index.js';
import { slow } from '../support/runs.js';

const root = resolve(import.meta.dirname, '../..');
const executablePath = '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
if (!hasChromium)
  console.warn(
    `Skipping the browser test: ${executablePath} is absent (.ci/run installs Debian's chromium).`,
  );

const STATES = ['new', 'open', 'pending', 'on hold', 'solved', 'closed', 'merged'];

describe.skipIf(!hasChromium)('the review document in a real browser', { timeout: slow(120_000) }, () => {
  it('renders every diagram offline and legibly at 1280×800 and 390×844: labels ≥ 10 px and ≥ 80% of the body text, no page scrolling sideways, every table on screen or in its own scroller, no console error', async () => {
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
      const shots = join(root, 'test-output');
      mkdirSync(shots, { recursive: true });
      for (const viewport of [
        { width: 1280, height: 800, name: 'desktop' },
        { width: 390, height: 844, name: 'phone' },
      ]) {
        await page.setViewportSize(viewport);
        await page.goto(pathToFileURL(join(out, 'workflow.html')).href);
        await page.waitForSelector('body[data-rendered]', { timeout: 60_000 });
        expect(await page.locator('body').getAttribute('data-rendered')).toBe('true');
        const diagrams = await page.locator('pre.mermaid').count();
        expect(diagrams).toBe(3); // the contact path, the lifecycle, the escalation path
        expect(await page.locator('pre.mermaid svg').count()).toBe(diagrams);
        const lifecycle = page.locator('pre.mermaid svg').nth(1);
        const lifecycleText = await lifecycle.textContent();
        for (const state of STATES) expect(lifecycleText).toContain(state);
        const measured = await page.evaluate(() => {
          const body = Number.parseFloat(getComputedStyle(document.body).fontSize);
          // Every piece of text drawn in a diagram: SVG text and the HTML inside labels.
          const texts = Array.from(document.querySelectorAll('pre.mermaid svg')).flatMap((svg, diagram) =>
            Array.from(svg.querySelectorAll('text, foreignObject span, foreignObject p, foreignObject div'))
              .filter((el) => el.children.length === 0 && (el.textContent ?? '').trim() !== '')
              .map((el) => {
                const box = el.getBoundingClientRect();
                // On screen: the font size times the SVG's scale (its drawn width over its own width).
                const svgEl = svg as SVGSVGElement;
                const scale =
                  svgEl.getBoundingClientRect().width /
                  (svgEl.viewBox.baseVal?.width || svgEl.getBoundingClientRect().width);
                return {
                  diagram,
                  text: (el.textContent ?? '').trim(),
                  height: box.height,
                  px: Number.parseFloat(getComputedStyle(el).fontSize) * scale,
                };
              }),
          );
          const tables = Array.from(document.querySelectorAll('table')).map((t) => {
            const box = t.getBoundingClientRect();
            const parent = t.parentElement as HTMLElement;
            const scrolls = ['auto', 'scroll'].includes(getComputedStyle(parent).overflowX);
            const parentBox = parent.getBoundingClientRect();
            return {
              fits: box.left >= -1 && box.right <= window.innerWidth + 1,
              inOwnScroller: scrolls && parentBox.left >= -1 && parentBox.right <= window.innerWidth + 1,
            };
          });
          return {
            body,
            texts,
            tables,
            pageWidth: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
          };
        });
        // No horizontal scrolling of the page itself.
        expect(measured.pageWidth).toBeLessThanOrEqual(measured.viewport);
        expect(measured.texts.length).toBeGreaterThan(20);
        for (const t of measured.texts) {
          // Every state name and label at least 10 px high and at least 80% of the body text.
          expect({ ...t, ok: t.height >= 10 && t.px >= 0.8 * measured.body }).toMatchObject({ ok: true });
        }
        for (const t of measured.tables) expect(t.fits || t.inOwnScroller).toBe(true);
        expect(errors).toEqual([]);
        const shot = join(shots, `review-workflow-${viewport.name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        expect(existsSync(shot)).toBe(true);
      }
      await page.setViewportSize({ width: 1280, height: 800 });

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
