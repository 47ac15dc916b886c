// `desk.tick` and `desk.ticket` take `now` as an option (a Date or epoch ms); the positional form
// still works for one release; an unknown option key is refused with a carekit error.
import { describe, expect, it } from 'vitest';
import { CarekitArgumentError } from '../../../src/model/index.js';
import { createSlaPolicy } from '../../../src/sla/index.js';
import { createDesk } from '../../../src/workflows/index.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;
const sla = createSlaPolicy({ id: 'std', calendar: null, firstReply: { targets: { normal: { hours: 2 } } } });

async function deskWithTicket() {
  const desk = createDesk({ agents: [{ id: 'ana', name: 'Ana' }], slaPolicies: [sla] });
  const { ticket } = await desk.receive({
    externalId: 'm1',
    channel: 'email',
    customer: { id: 'c1' },
    subject: 'Late parcel',
    body: 'Where is my order?',
    at: T0,
  });
  return { desk, ticketId: ticket.ticketId };
}

async function refusal(promise: Promise<unknown>): Promise<CarekitArgumentError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CarekitArgumentError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('desk.tick({ now })', () => {
  it('wakes the ticket whose breach is due, with now as epoch ms or a Date', async () => {
    for (const now of [T0 + 3 * HOUR, new Date(T0 + 3 * HOUR)]) {
      const { desk } = await deskWithTicket();
      const { effects } = await desk.tick({ now });
      expect(effects.some((e) => e.type === 'notify' && e.reason === 'sla_breach')).toBe(true);
    }
  });

  it('the deprecated positional form does the same', async () => {
    const { desk } = await deskWithTicket();
    const { effects } = await desk.tick(T0 + 3 * HOUR);
    expect(effects.some((e) => e.type === 'notify' && e.reason === 'sla_breach')).toBe(true);
  });

  it('refuses an unknown option and a bad now before anything is claimed', async () => {
    const { desk } = await deskWithTicket();
    const misspelt = await refusal(desk.tick({ nwo: T0 } as never));
    expect(misspelt.code).toBe('unrecognized_keys');
    expect(misspelt.path).toEqual(['options', 'nwo']);
    expect(misspelt.message).toContain('desk.tick');
    expect((await refusal(desk.tick({ now: new Date(Number.NaN) }))).code).toBe('invalid_instant');
    expect((await refusal(desk.tick(Number.NaN))).code).toBe('invalid_instant');
  });
});

describe('desk.ticket(id, { now })', () => {
  it('reads the ticket at now; the positional form and the default agree', async () => {
    const { desk, ticketId } = await deskWithTicket();
    const later = await desk.ticket(ticketId, { now: T0 + 3 * HOUR });
    expect(later).toEqual(await desk.ticket(ticketId, T0 + 3 * HOUR));
    expect(later).toEqual(await desk.ticket(ticketId, { now: new Date(T0 + 3 * HOUR) }));
    expect(await desk.ticket(ticketId)).toEqual(await desk.ticket(ticketId, {}));
    expect((await refusal(desk.ticket(ticketId, { at: T0 } as never))).code).toBe('unrecognized_keys');
  });
});
