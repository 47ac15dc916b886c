// Erasure laws on the memory store (issue 23): see erasure.ts for the world and the laws.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/workflows/index.js';
import {
  arbOps,
  arbWorldOp,
  CUSTOMERS,
  checkErasureLaws,
  findTokens,
  makeWorld,
  PERSONAL,
  play,
  readEverything,
  withHook,
} from './erasure.js';

describe('erasure on the memory store', () => {
  test.prop([arbOps(25), fc.nat(2)], { numRuns: 30, timeout: 60_000, interruptAfterTimeLimit: 50_000 })(
    'KPIs unchanged, no erased string left anywhere, events parse, versions up by one, idempotent',
    async (ops, who) => {
      const world = makeWorld(createMemoryStore({ personal: PERSONAL }));
      for (const op of ops) await play(world, op);
      await checkErasureLaws(world, CUSTOMERS[who] as string);
    },
    90_000,
  );

  test.prop(
    [
      arbOps(15),
      fc.array(arbWorldOp, { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(3), { maxLength: 12 }),
    ],
    {
      numRuns: 30,
      timeout: 60_000,
      interruptAfterTimeLimit: 50_000,
    },
  )(
    'concurrent with a desk handling the same tickets, nothing erased comes back',
    async (setupOps, laterOps, delays) => {
      const memory = createMemoryStore({ personal: PERSONAL });
      const { store, arm } = withHook(memory);
      const world = makeWorld(store);
      for (const op of setupOps) await play(world, op);
      // The erasure lands between a desk's read and its write (its cached copy is pre-erasure),
      // and again at a random point among calls in flight together.
      arm(() => memory.eraseCustomer('c0', { by: 'dpo', reason: 'hooked' }));
      const calls = laterOps.map(async (op, i) => {
        for (let k = 0; k < (delays[i] ?? 0); k++) await Promise.resolve();
        await play(world, op, `fresh${i}`);
      });
      calls.splice(
        delays.length % (calls.length + 1),
        0,
        memory.eraseCustomer('c0', { by: 'dpo', reason: 'raced' }).then(() => {}),
      );
      await Promise.all(calls);
      // Armed but not fired (no save happened): erase now, as the hook would have.
      arm(async () => {});
      expect(findTokens(await readEverything(memory), 'c0')).toEqual([]);
    },
    90_000,
  );

  // A ticket that copies another's personal data (a follow-up copies its origin's customer and
  // subject, a child its parent's customer) is saved only while the copied ticket is at the
  // version read: an erasure landing between the read and the save makes the desk copy again.
  /** A memory store with one ticket of c0, and an erasure of c0 armed to land before the next save. */
  const oneTicketOfC0 = async () => {
    const memory = createMemoryStore({ personal: PERSONAL });
    const { store, arm } = withHook(memory);
    const world = makeWorld(store);
    await play(world, { kind: 'open', customer: 0, gap: 0 });
    const eraseBeforeNextSave = () => arm(() => memory.eraseCustomer('c0', { by: 'dpo', reason: 'hooked' }));
    return { memory, world, eraseBeforeNextSave };
  };

  it('a follow-up opened on a copy read before the erasure copies the erased ticket', async () => {
    const { memory, world, eraseBeforeNextSave } = await oneTicketOfC0();
    await play(world, { kind: 'close', ticket: 0, gap: 60_000 });
    eraseBeforeNextSave();
    await play(world, { kind: 'customerReply', ticket: 0, gap: 60_000 }, 'fresh');
    let tickets = 0;
    for await (const _ of memory.ticketIds()) tickets++;
    expect(tickets).toBe(2); // the closed ticket and its follow-up
    expect(findTokens(await readEverything(memory), 'c0')).toEqual([]);
  });

  it('a child opened on a copy of its parent read before the erasure copies the erased parent', async () => {
    const { memory, world, eraseBeforeNextSave } = await oneTicketOfC0();
    const parent = (world.tickets[0] as { ticketId: string }).ticketId;
    eraseBeforeNextSave();
    const opened = await world.desk.openChild(parent, {
      by: 'ana',
      at: world.now + 60_000,
      subject: 'Was the parcel returned?',
      body: 'Please confirm the return.',
    });
    expect(opened.rejected).toBeUndefined();
    expect(findTokens(await readEverything(memory), 'c0')).toEqual([]);
  });

  it('a split opened on a copy of its original read before the erasure copies the erased original', async () => {
    const { memory, world, eraseBeforeNextSave } = await oneTicketOfC0();
    await play(world, { kind: 'customerReply', ticket: 0, gap: 60_000 });
    const original = (world.tickets[0] as { ticketId: string }).ticketId;
    eraseBeforeNextSave();
    const result = await world.desk.split(original, ['w1'], { by: 'ana', at: world.now + 60_000 });
    expect(result.rejected).toBeUndefined();
    expect(result.tickets.length).toBe(2);
    expect(findTokens(await readEverything(memory), 'c0')).toEqual([]);
  });
});
