import type { AddressInfo } from 'node:net';
import type { InboundContactInput } from 'carekit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookServer } from '../../examples/webhook-server.js';
import { createDesk, createMemoryStore, type TicketStore } from '../../src/workflows/index.js';

const contact: InboundContactInput = {
  externalId: 'mail-1',
  channel: 'email',
  customer: { id: 'c1', name: 'Dana' },
  subject: 'Broken mug',
  body: 'It arrived in pieces.',
  at: '2026-11-23T09:00:00Z',
};

interface Reply {
  readonly ticket: { readonly status: string };
  readonly duplicate?: boolean;
  readonly error?: string;
  readonly issues: readonly { readonly path: readonly string[] }[];
}

async function serve(desk: ReturnType<typeof createDesk>) {
  const server = createWebhookServer(desk);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Reply };
  };
  return { server, post };
}

describe('the webhook server example, over real HTTP on localhost', () => {
  const store = createMemoryStore();
  const desk = createDesk({ store, agents: [{ id: 'ana', name: 'Ana' }] });
  let http: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    http = await serve(desk);
  });
  afterAll(() => http.server.close());

  it('opens a ticket from a contact (201) and ignores the same contact delivered again (200, duplicate)', async () => {
    const first = await http.post('/contacts', contact);
    expect(first.status).toBe(201);
    expect(first.body.ticket.status).toBe('open');
    const again = await http.post('/contacts', contact);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
  });

  it('applies an event once, however often it is delivered', async () => {
    const ticketId = (await store.findByExternalId('email:mail-1')) as string;
    const note = {
      type: 'agent.noted',
      id: 'n1',
      ticketId,
      at: '2026-11-23T09:05:00Z',
      agentId: 'ana',
      body: 'checking',
    };
    const responses = await Promise.all([1, 2, 3].map(() => http.post('/events', note)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect((await store.ticketEvents(ticketId)).filter((e) => e.id === 'n1')).toHaveLength(1);
  });

  it('answers 400 with the validation issues, 404 for an unknown ticket, 422 for an event the status refuses', async () => {
    const bad = await http.post('/events', { type: 'agent.replied', id: 'x', ticketId: 'T', at: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((issue) => issue.path.join('.'))).toEqual(
      expect.arrayContaining(['at', 'agentId', 'body']),
    );
    expect((await http.post('/events', 'not json')).status).toBe(400);
    const unknown = await http.post('/events', {
      type: 'agent.noted',
      id: 'y',
      ticketId: 'T-x',
      at: 0,
      agentId: 'a',
      body: 'b',
    });
    expect(unknown.status).toBe(404);
    const ticketId = (await store.findByExternalId('email:mail-1')) as string;
    const refused = await http.post('/events', {
      type: 'survey.answered',
      id: 's',
      ticketId,
      at: '2026-11-23T10:00:00Z',
      survey: 'csat',
      score: 5,
    });
    expect(refused.status).toBe(422);
    expect((await fetch(`http://127.0.0.1:${(http.server.address() as AddressInfo).port}/`)).status).toBe(
      404,
    );
  });
});

describe('version conflicts', () => {
  it('answers 409 when every save meets a concurrent update', async () => {
    const inner = createMemoryStore();
    const opener = createDesk({ store: inner });
    await opener.receive(contact);
    const ticketId = (await inner.findByExternalId('email:mail-1')) as string;
    const busy: TicketStore = {
      ...inner,
      save: async (_id, version) => ({ ok: false, reason: 'version_conflict', version: version + 1 }),
    };
    const http = await serve(createDesk({ store: busy, maxAttempts: 3 }));
    const result = await http.post('/events', {
      type: 'agent.noted',
      id: 'n',
      ticketId,
      at: '2026-11-23T09:05:00Z',
      agentId: 'a',
      body: 'b',
    });
    http.server.close();
    expect(result.status).toBe(409);
    expect(result.body.error).toBe('version_conflict');
    expect(await inner.ticketEvents(ticketId)).toHaveLength(1);
  });
});
