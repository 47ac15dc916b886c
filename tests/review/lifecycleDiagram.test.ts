import { describe, expect, it } from 'vitest';
import { drawnLifecycleArrows, lifecycleArrows, lifecycleDiagram } from '../../src/review/index.js';

describe('lifecycleDiagram', () => {
  it('draws one arrow per pair of statuses, in words, without self-loops', () => {
    const text = lifecycleDiagram({ autoSolvePendingAfter: { days: 4 } });
    const arrows = text.split('\n').filter((l) => l.includes(' --> ') && l.includes(' -- "'));
    const pairs = arrows.map((l) => {
      const [from, rest] = l.trim().split(' -- "');
      return `${from} ${rest?.split('" --> ')[1]}`;
    });
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const pair of pairs) expect(pair.split(' ')[0]).not.toBe(pair.split(' ')[1]);
    expect(text).toContain('pending -- "no reply for 4 days" --> solved');
    expect(text).toContain('solved -- "customer replies within 7 days" --> open');
    expect(text).toContain('live -- "closed by an agent<br>marked as spam" --> closed');
    // Few, short labels: nothing of the machine's event names is left.
    expect(text).not.toMatch(/ticket\.|agent\.replied|clock\.tick/);
    expect(arrows.length).toBeLessThanOrEqual(12);
  });

  it('keeps every move in the data: the agent’s own moves between other statuses are only left out of the drawing', () => {
    const all = lifecycleArrows();
    const drawn = drawnLifecycleArrows();
    expect(all.find((a) => a.from[0] === 'pending' && a.to === 'on_hold')?.because).toEqual([
      'agent sets it',
    ]);
    expect(drawn.find((a) => a.from[0] === 'pending' && a.to === 'on_hold')).toBeUndefined();
    for (const a of drawn) {
      const whole = all.find((b) => b.to === a.to && b.from.join() === a.from.join());
      expect(whole?.because).toEqual(expect.arrayContaining([...a.because]));
    }
  });
});
