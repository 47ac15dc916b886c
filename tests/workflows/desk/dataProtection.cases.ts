// Examples of redaction, erasure across tickets and retention, written once and run on every
// store: the memory store (dataProtection.test.ts) and PostgreSQL
// (tests/store-postgres/dataProtection.integration.test.ts).
import { describe, expect, it } from 'vitest';
import { CarekitError, parseTicketEvent, REDACTED, type TicketEvent } from '../../../src/model/index.js';
import {
  createDesk,
  createTicketWorkflow,
  type DeskEffect,
  type TicketStore,
} from '../../../src/workflows/index.js';
import { deskOptions, T0 } from './hostile.js';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function seeded(store: TicketStore) {
  let now = T0;
  const desk = createDesk(deskOptions(store, () => now));
  const open = async (n: number, customer: string, extra: object = {}) => {
    const { ticket } = await desk.receive({
      externalId: `m${n}`,
      channel: 'email',
      customer: { id: customer, name: `Name ${customer}`, email: `${customer}@example.com` },
      subject: `Subject ${n}`,
      body: `Body ${n}`,
      at: now,
      ...extra,
    });
    return ticket.ticketId;
  };
  return { desk, open, at: () => now, advance: (ms: number) => (now += ms) };
}

/**
 * A ticket whose customer wrote after the reopen window (the message is kept and opens a
 * follow-up), saved as a host applying the workflow itself saves it, and the follow-up it opened:
 * `meta.message` names the message when `named` (as the desk writes it), else only the body says.
 */
async function withFollowUp(store: TicketStore, id: string, named: boolean) {
  const wf = createTicketWorkflow({ reopenWindow: { days: 1 } });
  const customer = { id: `${id}-c`, name: 'Hana Ito', email: 'hana@example.com' };
  const opened = parseTicketEvent({
    type: 'ticket.opened',
    id: `${id}:opened`,
    ticketId: id,
    at: T0,
    channel: 'email',
    subject: 'Lamp',
    body: 'The lamp is broken',
    customer,
  });
  let snapshot = wf.start(opened).snapshot;
  const events: TicketEvent[] = [opened];
  const effects: DeskEffect[] = [];
  for (const input of [
    {
      type: 'agent.replied',
      id: 'a1',
      ticketId: id,
      at: T0 + 1,
      agentId: 'ana',
      body: 'Replaced',
      status: 'solved',
    },
    {
      type: 'customer.replied',
      id: 'r9',
      ticketId: id,
      at: T0 + 3 * DAY,
      body: 'Again broken, my card is 4111 1111 1111 1111',
    },
  ]) {
    const applied = wf.apply(snapshot, parseTicketEvent(input));
    snapshot = applied.snapshot;
    events.push(...(applied.log ?? [parseTicketEvent(input)]));
    effects.push(...(applied.effects as DeskEffect[]));
  }
  const request = effects.find((e) => e.type === 'open_follow_up') as DeskEffect & { body: string };
  const write = (ticketId: string, s: typeof snapshot, log: TicketEvent[], fx: DeskEffect[]) => ({
    ticketId,
    expectedVersion: 0,
    write: {
      snapshot: s,
      workflowKey: '(none)',
      dueAt: wf.dueAt(s),
      customerId: customer.id,
      externalId: null,
      events: log,
      effects: fx,
    },
  });
  const followUp = parseTicketEvent({
    type: 'ticket.opened',
    id: `${id}~F1:opened`,
    ticketId: `${id}~F1`,
    at: T0 + 3 * DAY,
    channel: 'email',
    subject: 'Re: Lamp',
    body: request.body,
    customer,
    followUpOf: id,
    ...(named ? { meta: { message: { ticketId: id, eventId: 'r9' } } } : {}),
  });
  // Another follow-up of the same ticket, from another message: it keeps its text.
  const other = parseTicketEvent({
    ...followUp,
    id: `${id}~F2:opened`,
    ticketId: `${id}~F2`,
    body: 'Something else',
    meta: {},
  });
  const saved = await store.saveMany([
    write(id, snapshot, events, effects),
    write(`${id}~F1`, wf.start(followUp).snapshot, [followUp], []),
    write(`${id}~F2`, wf.start(other).snapshot, [other], []),
  ]);
  expect(saved.map((r) => r.ok)).toEqual([true, true, true]);
  return { origin: id, followUp: `${id}~F1`, other: `${id}~F2` };
}

export function dataProtectionCases(name: string, make: () => Promise<TicketStore>): void {
  describe(`data protection on the ${name} store`, () => {
    it('redacts one message: the event, the snapshot and the audit row (names, not values)', async () => {
      const store = await make();
      const { desk, open, at } = await seeded(store);
      const id = await open(1, 'c1');
      await desk.handle({
        type: 'customer.replied',
        id: 'r1',
        ticketId: id,
        at: at() + 1,
        body: 'card 4111 1111 1111 1111',
      });
      await desk.handle({
        type: 'agent.replied',
        id: 'a1',
        ticketId: id,
        at: at() + 2,
        agentId: 'ana',
        body: 'Done',
        status: 'solved',
      });
      await desk.handle({
        type: 'survey.answered',
        id: 's1',
        ticketId: id,
        at: at() + 3,
        survey: 'csat',
        score: 2,
        comment: 'Call me on 555-0100',
      });
      const before = await store.load(id);
      const result = await store.redact(id, 'r1', ['body'], {
        by: 'ana',
        reason: 'card number pasted',
        now: at() + 3,
      });
      expect(result.ticketIds).toEqual([id]);
      const log = await store.ticketEvents(id);
      expect(log.find((e) => e.id === 'r1')).toMatchObject({ body: REDACTED });
      expect(log.find((e) => e.id === 'r1')?.at).toBe(at() + 1);
      expect((await store.load(id))?.version).toBe((before?.version ?? 0) + 1);
      await store.redact(id, 's1', ['comment'], { by: 'ana', reason: 'phone number', now: at() + 4 });
      await store.redact(id, log[0]?.id as string, ['customer.email', 'subject'], {
        by: 'ana',
        reason: 'typo',
        now: at() + 5,
      });
      const stored = await store.load(id);
      expect(stored?.snapshot.context.surveys).toEqual([{ survey: 'csat', score: 2, at: at() + 3 }]);
      expect(stored?.snapshot.context.customer).toEqual({ id: 'c1', name: 'Name c1' });
      expect(stored?.snapshot.context.subject).toBe(REDACTED);
      const text = JSON.stringify([await store.ticketEvents(id), stored, await all(store.events())]);
      for (const gone of ['4111', '555-0100', 'c1@example.com', 'Subject 1'])
        expect(text).not.toContain(gone);
      const audit = await store.erasures();
      expect(audit.map((r) => [r.action, r.customerId, r.eventId, r.fields, r.by, r.reason])).toEqual([
        ['redact', 'c1', 'r1', ['body'], 'ana', 'card number pasted'],
        ['redact', 'c1', 's1', ['comment'], 'ana', 'phone number'],
        ['redact', 'c1', log[0]?.id, ['customer.email', 'subject'], 'ana', 'typo'],
      ]);
      expect(JSON.stringify(audit)).not.toContain('4111');
      // Again: nothing left to change (only an audit row).
      const version = (await store.load(id))?.version;
      expect((await store.redact(id, 'r1', ['body'], { by: 'ana', reason: 'again' })).ticketIds).toEqual([]);
      expect((await store.load(id))?.version).toBe(version);
    });

    it('redacting a message follows it into the follow-up opened from it, and back', async () => {
      const store = await make();
      const card = /4111 1111/;
      // A host's follow-up, known by its body: redacting the message redacts the follow-up's opening.
      const host = await withFollowUp(store, 'H-1', false);
      const before = await store.load(host.followUp);
      const result = await store.redact(host.origin, 'r9', ['body'], { by: 'ana', reason: 'card number' });
      expect(result.ticketIds).toEqual([host.origin, host.followUp]);
      const [opening] = await store.ticketEvents(host.followUp);
      expect(opening?.type === 'ticket.opened' ? opening.body : null).toBe(REDACTED);
      expect((await store.load(host.followUp))?.version).toBe((before?.version ?? 0) + 1);
      expect(JSON.stringify(await store.ticketEvents(host.origin))).not.toMatch(card);
      expect(JSON.stringify(await store.ticketEvents(host.other))).toContain('Something else');
      const effects: DeskEffect[] = [];
      for await (const e of store.effects()) if (e.ticketId === host.origin) effects.push(e);
      expect(JSON.stringify(effects)).not.toMatch(card);
      // A follow-up naming the message (the desk's): redacting its opening redacts the message too.
      const desk = await withFollowUp(store, 'H-2', true);
      const back = await store.redact(desk.followUp, `${desk.followUp}:opened`, ['body'], {
        by: 'ana',
        reason: 'card',
      });
      expect(back.ticketIds).toEqual([desk.origin, desk.followUp]);
      const reply = (await store.ticketEvents(desk.origin)).find((e) => e.id === 'r9');
      expect(reply?.type === 'customer.replied' ? reply.body : null).toBe(REDACTED);
      expect(JSON.stringify(await store.ticketEvents(desk.other))).toContain('Something else');
      // Again: nothing left to change.
      expect(
        (await store.redact(desk.origin, 'r9', ['body'], { by: 'ana', reason: 'again' })).ticketIds,
      ).toEqual([]);
    });

    it("scrubs the customer's name and email from the free text it keeps: reasons and tags", async () => {
      const store = await make();
      const { desk, open, at } = await seeded(store);
      const mine = await open(1, 'c1');
      const theirs = await open(2, 'c2');
      for (const [id, who] of [
        [mine, 'c1'],
        [theirs, 'c2'],
      ] as const) {
        await desk.handle({
          type: 'ticket.escalated',
          id: `x-${id}`,
          ticketId: id,
          at: at() + 1,
          tier: 2,
          reason: `Name ${who} asked for a manager; write to ${who}@example.com (Banana Name ${who}x stays)`,
        });
        await desk.handle({
          type: 'ticket.tagged',
          id: `t-${id}`,
          ticketId: id,
          at: at() + 2,
          add: [`${who}@example.com`, 'returns'],
        });
      }
      await store.eraseCustomer('c1', { by: 'dpo', reason: 'request' });
      const log = JSON.stringify(await store.ticketEvents(mine));
      const snapshot = JSON.stringify(await store.load(mine));
      for (const text of [log, snapshot]) {
        expect(text).not.toMatch(/Name c1\b|c1@example\.com/);
        expect(text).toContain('returns');
      }
      expect(log).toContain(`${REDACTED} asked for a manager; write to ${REDACTED} (Banana Name c1x stays)`);
      // Another customer's text is theirs: untouched.
      expect(JSON.stringify(await store.ticketEvents(theirs))).toContain(
        'Name c2 asked for a manager; write to c2@example.com',
      );
    });

    it('refuses a redaction it cannot do, changing nothing', async () => {
      const store = await make();
      const { open } = await seeded(store);
      const id = await open(1, 'c1');
      const before = JSON.stringify([await store.load(id), await store.ticketEvents(id)]);
      const opened = (await store.ticketEvents(id))[0]?.id as string;
      const code = async (p: Promise<unknown>) =>
        p.then(
          () => 'ok',
          (e: unknown) => (e instanceof CarekitError ? e.code : String(e)),
        );
      expect(await code(store.redact(id, 'nope', ['body'], { by: 'a', reason: 'r' }))).toBe('unknown_event');
      expect(await code(store.redact('T-none', 'e', ['body'], { by: 'a', reason: 'r' }))).toBe(
        'unknown_event',
      );
      expect(await code(store.redact(id, opened, ['at'], { by: 'a', reason: 'r' }))).toBe(
        'unredactable_field',
      );
      expect(await code(store.redact(id, opened, ['body', 'ticketId'], { by: 'a', reason: 'r' }))).toBe(
        'unredactable_field',
      );
      expect(await code(store.redact(id, opened, ['customer.id'], { by: 'a', reason: 'r' }))).toBe(
        'unredactable_field',
      );
      expect(await code(store.redact(id, opened, ['body'], { by: '', reason: 'r' }))).toBe(
        'invalid_erasure_request',
      );
      expect(await code(store.eraseCustomer('c1', { by: 'dpo' } as never))).toBe('invalid_erasure_request');
      expect(JSON.stringify([await store.load(id), await store.ticketEvents(id)])).toBe(before);
      expect(await store.erasures()).toEqual([]);
    });

    it("erases a customer's messages moved into another customer's ticket, and only those", async () => {
      const store = await make();
      const { desk, open, at } = await seeded(store);
      const source = await open(1, 'c1');
      const target = await open(2, 'c2');
      await desk.merge([source], target, { by: 'ana', at: at() + 10, acrossCustomers: true });
      const targetBefore = await store.load(target);
      expect(JSON.stringify(await store.ticketEvents(target))).toContain('Body 1');
      const { ticketIds } = await store.eraseCustomer('c1', { by: 'dpo', reason: 'request' });
      expect(ticketIds).toEqual([source, target].sort());
      const targetLog = JSON.stringify(await store.ticketEvents(target));
      expect(targetLog).not.toContain('Body 1');
      expect(targetLog).toContain('Body 2');
      expect(targetLog).toContain('c2@example.com');
      expect((await store.load(target))?.version).toBe((targetBefore?.version ?? 0) + 1);
      expect(JSON.stringify(await store.load(source))).not.toMatch(/Name c1|c1@example|Subject 1/);
    });

    it('a desk that read a ticket before the erasure decides again on the erased copy', async () => {
      const store = await make();
      const { desk, open, at } = await seeded(store);
      const id = await open(1, 'c1');
      // The desk holds the ticket as it saved it (its cache); the erasure makes that copy stale.
      await store.eraseCustomer('c1', { by: 'dpo', reason: 'request' });
      const result = await desk.handle({
        type: 'agent.replied',
        id: 'a1',
        ticketId: id,
        at: at() + 60_000,
        agentId: 'ana',
        body: 'On its way',
      });
      expect(result.rejected).toBeUndefined();
      const stored = await store.load(id);
      expect(JSON.stringify(stored)).not.toMatch(/Name c1|c1@example|Subject 1/);
      expect((await store.ticketEvents(id)).map((e) => e.id)).toContain('a1');
    });

    it("desk.eraseCustomer drops the desk's cached copies: its next save is not refused", async () => {
      const inner = await make();
      const refusals: string[] = [];
      const store = Object.create(inner) as TicketStore;
      store.save = async (...args) => {
        const result = await inner.save(...args);
        if (!result.ok) refusals.push(result.reason);
        return result;
      };
      const { desk, open, at } = await seeded(store);
      const first = await open(1, 'c1');
      const second = await open(2, 'c2');
      // Through the store: the desk's cached copy is stale, its first save is refused, then decided again.
      await store.eraseCustomer('c1', { by: 'dpo', reason: 'request' });
      await desk.handle({
        type: 'agent.replied',
        id: 'a1',
        ticketId: first,
        at: at() + 1,
        agentId: 'ana',
        body: 'Hi',
      });
      expect(refusals).toEqual(['version_conflict']);
      // Through the desk: its copies are dropped with the erasure, the next save goes through.
      const result = await desk.eraseCustomer('c2', { by: 'dpo', reason: 'request' });
      expect(result.ticketIds).toEqual([second]);
      await desk.handle({
        type: 'agent.replied',
        id: 'a2',
        ticketId: second,
        at: at() + 2,
        agentId: 'ana',
        body: 'Hi',
      });
      expect(refusals).toEqual(['version_conflict']);
      expect(JSON.stringify(await inner.load(second))).not.toMatch(/Name c2|c2@example|Subject 2/);
    });

    it('applies a retention policy in batches, with progress and audit rows, idempotently', async () => {
      const store = await make();
      const { desk, open, at, advance } = await seeded(store);
      const old = await Promise.all([1, 2, 3].map((n) => open(n, `c${n}`)));
      const spam = await open(4, 'c4', { tags: ['spam'] });
      for (const id of old)
        await desk.handle({
          type: 'ticket.closed',
          id: `close-${id}`,
          ticketId: id,
          at: at() + 1,
          by: 'ana',
        });
      advance(3 * YEAR);
      const young = await open(5, 'c5');
      await desk.handle({
        type: 'ticket.closed',
        id: 'close-young',
        ticketId: young,
        at: at() + 1,
        by: 'ana',
      });
      const metricsBefore = await desk.metrics({ to: at() - YEAR });
      const policy = {
        rules: [
          {
            id: 'closed-2y',
            when: { status: 'closed' as const, olderThan: 'P2Y' },
            action: 'anonymise' as const,
          },
          { when: { tag: 'spam', olderThan: 'P30D' }, action: 'delete' as const },
        ],
      };
      const progress: unknown[] = [];
      const result = await store.applyRetention(policy, at() + 2, {
        batchSize: 2,
        onProgress: (p) => progress.push(p),
        owner: 'worker-1',
      });
      expect(result).toEqual({ anonymised: 3, deleted: 1, batches: 3 });
      expect(progress).toEqual([
        { ruleId: 'closed-2y', action: 'anonymise', ticketIds: [...old].sort().slice(0, 2), done: 2 },
        { ruleId: 'closed-2y', action: 'anonymise', ticketIds: [...old].sort().slice(2), done: 3 },
        { ruleId: 'rule-2', action: 'delete', ticketIds: [spam], done: 4 },
      ]);
      for (const id of old)
        expect(JSON.stringify(await store.load(id))).not.toMatch(/Name c|@example|Subject/);
      expect(JSON.stringify(await store.load(young))).toContain('Name c5');
      expect(await store.load(spam)).toBeNull();
      expect(await store.ticketEvents(spam)).toEqual([]);
      expect((await all(store.effects())).filter((e) => e.ticketId === spam)).toEqual([]);
      expect(await store.findByExternalId('email:m4')).toBeNull();
      // The deleted ticket leaves the report; the anonymised ones stay in it (the laws compare every KPI).
      expect((await desk.metrics({ to: at() - YEAR })).tickets).toBe(metricsBefore.tickets - 1);
      const audit = await store.erasures();
      expect(audit.map((r) => [r.action, r.ticketIds, r.by])).toEqual([
        ...[...old].sort().map((id) => ['anonymise', [id], 'worker-1']),
        ['delete', [spam], 'worker-1'],
      ]);
      expect(audit[0]?.reason).toBe(
        'retention rule closed-2y: anonymise closed tickets idle longer than P2Y',
      );
      // Again: nothing left to do.
      expect(await store.applyRetention(policy, at() + 3)).toEqual({ anonymised: 0, deleted: 0, batches: 0 });
    });

    it('two workers applying retention at once take each ticket once', async () => {
      const store = await make();
      const { open, advance, at } = await seeded(store);
      const ids = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => open(n, `c${n}`, { tags: ['spam'] })));
      advance(40 * DAY);
      const policy = { rules: [{ when: { tag: 'spam', olderThan: 'P30D' }, action: 'delete' as const }] };
      const [a, b] = await Promise.all([
        store.applyRetention(policy, at(), { batchSize: 1, owner: 'w1' }),
        store.applyRetention(policy, at(), { batchSize: 2, owner: 'w2' }),
      ]);
      expect((a?.deleted ?? 0) + (b?.deleted ?? 0)).toBe(ids.length);
      const audit = await store.erasures();
      expect(audit.flatMap((r) => r.ticketIds).sort()).toEqual([...ids].sort());
      expect(await all(store.ticketIds())).toEqual([]);
      expect((await store.agents()).every((agent) => agent.load === 0)).toBe(true);
    });

    it('refuses a bad policy with codes and paths, before doing anything', async () => {
      const store = await make();
      const issues = async (policy: unknown) =>
        store.applyRetention(policy as never, T0).then(
          () => [],
          (e: { issues?: { code: string; path: readonly (string | number)[] }[] }) =>
            (e.issues ?? []).map((i) => [i.code, i.path.join('.')]),
        );
      expect(await issues({ rules: [{ when: { olderThan: '2 years' }, action: 'delete' }] })).toEqual([
        ['invalid_duration', 'rules.0.when.olderThan'],
      ]);
      expect(
        await issues({ rules: [{ when: { olderThan: 'P1Y', colour: 'red' }, action: 'delete' }] }),
      ).toEqual([['unrecognized_keys', 'rules.0.when']]);
      expect((await issues({ rules: [{ when: { olderThan: 'P1Y' }, action: 'shred' }] }))[0]?.[1]).toBe(
        'rules.0.action',
      );
    });
  });
}
