// Model-based testing with fc.commands: arbitrary sequences of commands (events valid and
// invalid for the current status, redeliveries, ticks, restarts from storage) run against the
// real workflow and a plain reference model; after every command they must agree.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseTicketEvent, type TicketEvent } from '../../../src/model/index.js';
import {
  createTicketWorkflow,
  type TicketSnapshot,
  type TicketWorkflow,
} from '../../../src/workflows/index.js';
import { propertyRuns, propertyTimeout } from '../../support/runs.js';
import { type Cfg, configs, initialRef, type Ref, refApply } from './reference.js';

const T0 = Date.UTC(2025, 2, 10, 9);
const H = 3_600_000;

interface Model {
  ref: Ref;
  now: number;
  sent: TicketEvent[];
  cfg: Cfg;
}
interface Real {
  wf: TicketWorkflow;
  snapshot: TicketSnapshot;
}

let counter = 0;
const nextId = () => `c${++counter}`;

/** Sends one event to both sides and compares them. */
class Send implements fc.Command<Model, Real> {
  constructor(
    readonly spec: Record<string, unknown>,
    readonly advance: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.now += this.advance;
    const event = parseTicketEvent({ ...this.spec, id: nextId(), ticketId: 'T-1', at: m.now });
    m.sent.push(event);
    deliver(m, r, event);
  }
  toString = () => `send ${JSON.stringify(this.spec)} after ${this.advance}`;
}

/** Delivers an event that was sent before (at-least-once delivery). */
class Redeliver implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.sent.length > 0;
  run(m: Model, r: Real): void {
    deliver(m, r, m.sent[this.pick % m.sent.length]!);
  }
  toString = () => `redeliver #${this.pick}`;
}

/** Stores the snapshot as JSON and restores it, as a restart would. */
class Restart implements fc.Command<Model, Real> {
  check = () => true;
  run(_m: Model, r: Real): void {
    r.snapshot = JSON.parse(JSON.stringify(r.snapshot)) as TicketSnapshot;
  }
  toString = () => 'restart';
}

function deliver(m: Model, r: Real, event: TicketEvent): void {
  const before = r.snapshot;
  const result = r.wf.apply(r.snapshot, event);
  const { outcome } = refApply(m.ref, event, m.cfg);
  if (outcome === 'duplicate') expect(result.duplicate).toBe(true);
  else if (outcome === 'applied') expect(result.rejected).toBeUndefined();
  else expect(result.rejected?.code).toBe(outcome);
  if (outcome !== 'applied') expect(result.snapshot).toBe(before);
  r.snapshot = result.snapshot;
  const c = r.snapshot.context;
  expect(r.snapshot.status).toBe(m.ref.status);
  expect(c.assigneeId).toBe(m.ref.assignee);
  expect(c.counters.reopens).toBe(m.ref.reopens);
  expect(c.counters.agentReplies).toBe(m.ref.agentReplies);
  expect(c.counters.customerReplies).toBe(m.ref.customerReplies);
  expect(c.firstReplyAt).toBe(m.ref.firstReplyAt);
  // invariants
  if (before.status === 'closed' || before.status === 'merged') expect(r.snapshot.status).toBe(before.status);
  expect(new Set(c.eventIds).size).toBe(c.eventIds.length);
  if (c.firstReplyAt !== null) expect(before.context.firstReplyAt ?? c.firstReplyAt).toBe(c.firstReplyAt);
}

const agent = fc.constantFrom('a1', 'a2');
const status = fc.constantFrom('open', 'pending', 'on_hold', 'solved');
// Gaps of minutes to days, and now and then exactly at a configured window or timeout (±1 ms),
// where an off-by-one in the rules would show.
const boundaries = [12 * H, 24 * H, 2 * 24 * H, 3 * 24 * H, 4 * 24 * H, 7 * 24 * H];
const gap = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 * 24 * H }) },
  { weight: 1, arbitrary: fc.integer({ min: 2 * 24 * H, max: 10 * 24 * H }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...boundaries), fc.integer({ min: -1, max: 1 }))
      .map(([b, d]) => b + d),
  },
);

const commands = [
  fc.tuple(fc.constant({ type: 'customer.replied', body: 'Any news?' }), gap).map(([s, g]) => new Send(s, g)),
  fc
    .tuple(
      fc.record(
        { agentId: agent, status, public: fc.boolean(), bot: fc.boolean() },
        { requiredKeys: ['agentId'] },
      ),
      gap,
    )
    .map(([s, g]) => new Send({ type: 'agent.replied', body: 'On it', ...s }, g)),
  fc
    .tuple(fc.option(agent, { nil: null }), gap)
    .map(([a, g]) => new Send({ type: 'ticket.assigned', agentId: a }, g)),
  fc.tuple(status, gap).map(([s, g]) => new Send({ type: 'ticket.status_set', status: s }, g)),
  fc
    .tuple(fc.constantFrom('ticket.closed', 'ticket.marked_spam', 'clock.tick'), gap)
    .map(([type, g]) => new Send({ type }, g)),
  fc
    .tuple(fc.integer({ min: 1, max: 5 }), gap)
    .map(([score, g]) => new Send({ type: 'survey.answered', survey: 'csat', score }, g)),
  gap.map((g) => new Send({ type: 'ticket.merged', into: 'T-0' }, g)),
  fc.nat(50).map((n) => new Redeliver(n)),
  fc.constant(new Restart()),
];

describe('ticket lifecycle, model-based', () => {
  test.prop([fc.commands(commands, { maxCommands: 40 }), fc.constantFrom(...configs)], propertyRuns(200))(
    'the workflow and the reference model agree after every command',
    (cmds, cfg) => {
      const wf = createTicketWorkflow(cfg);
      const { snapshot } = wf.start({
        type: 'ticket.opened',
        id: 'e0',
        ticketId: 'T-1',
        at: T0,
        channel: 'chat',
        subject: 's',
        body: 'b',
        customer: { id: 'c1' },
      });
      fc.modelRun(
        () => ({ model: { ref: initialRef(T0), now: T0, sent: [], cfg }, real: { wf, snapshot } }),
        cmds,
      );
    },
    propertyTimeout(60_000),
  );
});
