// The desk's group commit (src/workflows/desk/state/batching.ts) over a recording store: saves
// made in one synchronous burst (a tick's, a merge's) share one transaction, in the order they
// were made. A real server's concurrent transactions otherwise race for the router's sequence
// numbers, and two desks given the same calls ended with different round-robin orders
// (tests/store-postgres/desk-hostile.prop.integration.test.ts found it).
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../../src/workflows/desk/state/batching.js';
import type { SaveRequest, SaveResult, TicketStore } from '../../../../src/workflows/index.js';

function recordingStore() {
  const calls: string[][] = [];
  let release: (() => void) | null = null;
  const store = {
    async save(ticketId: string): Promise<SaveResult> {
      calls.push([ticketId]);
      // The first ticket's save waits until the test releases it (a slow round trip).
      if (ticketId === 'T-1' && calls.length === 1) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return { ok: true, version: 1 } as SaveResult;
    },
    async saveMany(requests: readonly SaveRequest[]): Promise<SaveResult[]> {
      calls.push(requests.map((r) => r.ticketId));
      return requests.map(() => ({ ok: true, version: 1 }) as SaveResult);
    },
  } as unknown as TicketStore;
  return { store, calls, release: () => release?.() };
}

const request = (ticketId: string) =>
  ({ ticketId, expectedVersion: 0, write: { events: [], snapshot: {} } }) as unknown as SaveRequest;

describe('GroupCommit', () => {
  it('sends the saves of one synchronous burst in one saveMany, in the order they were made', async () => {
    const { store, calls } = recordingStore();
    const commit = new GroupCommit(store);
    const results = await Promise.all(['T-0', 'T-2', 'T-3'].map((id) => commit.save(request(id))));
    expect(calls).toEqual([['T-0', 'T-2', 'T-3']]);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('saves alone a write made on an idle desk, and batches those that arrive meanwhile', async () => {
    const { store, calls, release } = recordingStore();
    const commit = new GroupCommit(store);
    const first = commit.save(request('T-1'));
    await Promise.resolve();
    await Promise.resolve();
    expect(calls).toEqual([['T-1']]);
    const later = ['T-2', 'T-3'].map((id) => commit.save(request(id)));
    await Promise.all(later);
    release();
    await first;
    expect(calls).toEqual([['T-1'], ['T-2', 'T-3']]);
  });
});
