// Deterministic synthetic ticket logs shaped like a shop's support traffic: most tickets get a
// reply or two and are solved, some wait on the customer, some reopen, a few get surveys.
// Used by the replay benchmark (and available to other benchmarks).

/** A small seeded PRNG (mulberry32): the same seed gives the same logs on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MIN = 60_000;

export function syntheticTicketLogs(count: number, seed = 1): Record<string, unknown>[][] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const channels = ['email', 'chat', 'social', 'marketplace'] as const;
  const logs: Record<string, unknown>[][] = [];
  const start = Date.UTC(2025, 0, 6, 8);
  for (let i = 0; i < count; i++) {
    const ticketId = `T-${i}`;
    let at = start + Math.floor(random() * 30 * 24 * 60) * MIN;
    let n = 0;
    const id = () => `${ticketId}-e${n++}`;
    const agent = `a${Math.floor(random() * 40)}`;
    const log: Record<string, unknown>[] = [
      {
        type: 'ticket.opened',
        id: id(),
        ticketId,
        at,
        channel: pick(channels),
        subject: 'Where is my order?',
        body: 'I ordered last week and nothing arrived yet.',
        customer: { id: `c${Math.floor(random() * count)}` },
        priority: pick(['low', 'normal', 'normal', 'high'] as const),
      },
    ];
    const push = (event: Record<string, unknown>) => log.push({ ...event, id: id(), ticketId, at });
    at += Math.floor(random() * 120) * MIN;
    push({ type: 'ticket.assigned', agentId: agent });
    const rounds = 1 + Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) {
      at += Math.floor(random() * 240) * MIN;
      const last = r === rounds - 1;
      push({
        type: 'agent.replied',
        agentId: agent,
        body: 'Thanks, checking with the carrier.',
        status: last ? 'solved' : 'pending',
      });
      at += Math.floor(random() * 600) * MIN;
      if (!last) push({ type: 'customer.replied', body: 'Any news?' });
    }
    if (random() < 0.1) {
      at += Math.floor(random() * 2000) * MIN;
      push({ type: 'customer.replied', body: 'Still not here.' });
      at += Math.floor(random() * 200) * MIN;
      push({ type: 'agent.replied', agentId: agent, body: 'Reshipped.', status: 'solved' });
    }
    if (random() < 0.3) {
      at += Math.floor(random() * 1000) * MIN;
      push({ type: 'survey.answered', survey: 'csat', score: 1 + Math.floor(random() * 5) });
    }
    at += 4 * 24 * 60 * MIN;
    push({ type: 'clock.tick' });
    logs.push(log);
  }
  return logs;
}
