// A small webhook server in front of a desk: POST /contacts takes an inbound contact, POST /events
// an agent's (or any) ticket event, both as JSON. Bad input is answered 400 with the validation
// issues (code, path, message); an event that keeps meeting concurrent updates is answered 409;
// an event delivered twice is applied once (200 with `duplicate: true`).
//
// Run it: `npx tsx examples/webhook-server.ts` (PORT defaults to 3000).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CarekitError, CarekitValidationError, parseInput, parseTicketEvent } from 'carekit/model';
import { createDesk, type Desk, InboundContact } from 'carekit/workflows';

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new CarekitError('payload_too_large', 'the body is larger than 1 MB');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new CarekitError('invalid_json', 'the body is not JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** A server for a desk. Listen on it yourself; close it when done. */
export function createWebhookServer(desk: Desk): Server {
  return createServer(async (request, response) => {
    try {
      if (request.method !== 'POST' || (request.url !== '/contacts' && request.url !== '/events')) {
        return send(response, 404, { error: 'not_found', message: 'POST /contacts or POST /events' });
      }
      const body = await readJson(request);
      // The body is unknown: it is read as a contact or an event first (validation with the issues).
      const result =
        request.url === '/contacts'
          ? await desk.receive(parseInput(InboundContact, body, 'inbound contact'))
          : await desk.handle(parseTicketEvent(body));
      if (result.rejected)
        return send(response, 422, { error: result.rejected.code, message: result.rejected.message });
      return send(response, result.duplicate ? 200 : 201, result);
    } catch (error) {
      if (error instanceof CarekitValidationError) {
        return send(response, 400, { error: error.code, message: error.message, issues: error.issues });
      }
      if (error instanceof CarekitError) {
        const status = error.code === 'version_conflict' ? 409 : error.code === 'unknown_ticket' ? 404 : 400;
        return send(response, status, { error: error.code, message: error.message });
      }
      return send(response, 500, { error: 'internal', message: 'something went wrong' });
    }
  });
}

async function main(): Promise<void> {
  const desk = createDesk({ agents: [{ id: 'ana', name: 'Ana' }] });
  const server = createWebhookServer(desk);
  const testing = process.env.CAREKIT_EXAMPLE_TEST === '1';
  const port = testing ? 0 : Number(process.env.PORT ?? 3000);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  console.log(`carekit webhook server on ${base}`);
  if (!testing) return;
  // Under the examples test: one good contact, one bad one, then stop.
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const good = await post('/contacts', {
    externalId: 'mail-1',
    channel: 'email',
    customer: { id: 'c1', name: 'Dana' },
    subject: 'Broken mug',
    body: 'It arrived in pieces.',
    at: '2026-11-23T09:00:00Z',
  });
  console.log(good.status, (good.body.ticket as { status: string }).status);
  const bad = await post('/contacts', { channel: 'fax' });
  console.log(
    bad.status,
    (bad.body.issues as { path: string[] }[]).map((issue) => issue.path.join('.')).join(', '),
  );
  server.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
