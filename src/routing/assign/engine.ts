// The indexed router behind assignBacklog and simulateRouting. Agents are grouped into
// buckets by the static part of a ticket's needs (skills, language, tier, availability);
// each bucket keeps a heap ordered by the strategy. An assigned agent moves in place in each
// heap it belongs to, so an assignment costs O(buckets of the agent × log agents) and a
// decision pops only momentarily ineligible entries (off shift, refused by a custom filter).
import type { Agent } from '../../model/index.js';
import type { AgentList } from './agents.js';
import {
  check,
  explainNobody,
  explainPick,
  type Pipeline,
  pickPrefix,
  type ShiftCheck,
  type Step,
} from './pipeline.js';
import type { RoutingTicket } from './policy.js';
import { type AgentStats, type RouterState, read, record } from './routerState.js';

/** One routing decision. */
export interface RouteResult {
  readonly ticketId: string;
  readonly agentId: string | null;
  /** Why this agent, or why nobody, in a sentence. */
  readonly reason: string;
}

/**
 * A heap of agent indexes that knows where each agent sits, so an agent whose key changed
 * moves in place (no stale copies) and a full agent can be taken out and put back. Typed
 * arrays of a fixed size: an agent is at most once in a heap.
 */
class AgentHeap {
  private readonly items: Int32Array;
  private readonly position: Int32Array;
  size = 0;

  constructor(
    capacity: number,
    private readonly key: Float64Array,
    private readonly seq: Float64Array,
  ) {
    this.items = new Int32Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
  }

  /** The agent that ranks first; only when size > 0. */
  top(): number {
    return this.items[0]!;
  }

  private before(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    if (ka !== kb) return ka < kb;
    const sa = this.seq[a]!;
    const sb = this.seq[b]!;
    return sa !== sb ? sa < sb : a < b;
  }

  /** Adds the agent, or moves it to its place if it is in already. */
  insert(i: number): void {
    const at = this.position[i]!;
    if (at >= 0) {
      this.up(at);
      this.down(this.position[i]!);
      return;
    }
    this.items[this.size] = i;
    this.position[i] = this.size;
    this.size++;
    this.up(this.size - 1);
  }

  remove(i: number): void {
    const at = this.position[i]!;
    if (at < 0) return;
    this.size--;
    const last = this.items[this.size]!;
    this.position[i] = -1;
    if (at === this.size) return;
    this.items[at] = last;
    this.position[last] = at;
    this.up(at);
    this.down(this.position[last]!);
  }

  private up(at: number): void {
    this.climb(this.items[at]!, at, 0);
  }

  /** Puts `item`, whose place is the hole at `at`, as high as it belongs but not above `top`. */
  private climb(item: number, at: number, top: number): void {
    const h = this.items;
    while (at > top) {
      const parent = (at - 1) >> 1;
      const p = h[parent]!;
      if (!this.before(item, p)) break;
      h[at] = p;
      this.position[p] = at;
      at = parent;
    }
    h[at] = item;
    this.position[item] = at;
  }

  // Bottom-up: follow the better child down to a leaf, then climb back to where the agent
  // belongs. An agent that was just assigned usually sinks near the bottom, so this takes one
  // comparison per level instead of two.
  private down(at: number): void {
    const h = this.items;
    const item = h[at]!;
    const n = this.size;
    const start = at;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.before(h[r]!, h[l]!) ? r : l;
      const child = h[c]!;
      h[at] = child;
      this.position[child] = at;
      at = c;
    }
    this.climb(item, at, start);
  }
}

export class RoutingEngine {
  private readonly agents: readonly Agent[];
  private readonly load: number[];
  private readonly assigned: number[];
  private readonly lastSeq: number[];
  // When each agent was last assigned by this engine (NaN: not yet; the state it started
  // from keeps the earlier times). A typed array: epoch milliseconds are no small integers,
  // and storing them in a plain array boxed one number per decision.
  private readonly lastAt: Float64Array;
  private readonly key: Float64Array;
  private readonly seqKey: Float64Array;
  private readonly touched: boolean[];
  private readonly memberOf: AgentHeap[][];
  private readonly buckets = new Map<string, AgentHeap>();
  // Single-skill tickets find their heap by skill, language as written and tier, without
  // building the bucket key: the key was a new string per decision, hashed to look it up.
  private readonly bySkill = new Map<string, Map<string, AgentHeap[]>>();
  // Dynamic steps but withinCapacity: a full agent is in no heap (changed() takes it out).
  private readonly checks: readonly Step[];
  private readonly lastAgentByCustomer: Map<string, string>;
  private sequence: number;
  // See flat(): the characters read, kept so that the optimiser cannot drop the reads.
  private flatReads = 0;

  constructor(
    private readonly list: AgentList,
    private readonly pipeline: Pipeline,
    private readonly base: RouterState,
    private readonly onShift: ShiftCheck,
  ) {
    this.agents = list.agents;
    const ids = this.agents.map((a) => a.id);
    this.load = ids.map((id) => read(base.loads, id) ?? 0);
    this.assigned = ids.map((id) => read(base.assigned, id) ?? 0);
    this.lastSeq = ids.map((id) => read(base.lastSequence, id) ?? 0);
    this.lastAt = new Float64Array(ids.length).fill(Number.NaN);
    this.key = new Float64Array(ids.length);
    this.seqKey = Float64Array.from(this.lastSeq);
    for (let i = 0; i < ids.length; i++) this.key[i] = pipeline.strategy.key(this.agents[i]!, this.stats(i));
    this.touched = ids.map(() => false);
    this.memberOf = ids.map(() => []);
    this.lastAgentByCustomer = new Map(Object.entries(base.lastAgentByCustomer));
    this.sequence = base.sequence;
    this.checks = pipeline.dynamicSteps.filter((step) => !step.isCapacity);
  }

  // One reused object: a decision reads an agent's stats many times, and allocating each
  // time made garbage collection a third of the run. Strategies and filters read it during
  // the call only (AgentStats says so).
  private readonly scratch = { load: 0, assigned: 0, lastSequence: 0 };

  stats(i: number): AgentStats {
    const s = this.scratch;
    s.load = this.load[i]!;
    s.assigned = this.assigned[i]!;
    s.lastSequence = this.lastSeq[i]!;
    return s;
  }

  private eligibleNow(i: number): boolean {
    return !this.pipeline.capacity || this.load[i]! < this.agents[i]!.capacity;
  }

  private bucket(ticket: RoutingTicket): AgentHeap {
    const { skills } = ticket;
    if (skills !== undefined && skills.length > 1) return this.bucketByKey(ticket);
    const skill = skills === undefined || skills.length === 0 ? '' : skills[0]!;
    let byLanguage = this.bySkill.get(skill);
    if (byLanguage === undefined) {
      byLanguage = new Map();
      this.bySkill.set(skill, byLanguage);
    }
    // '' is no locale, so it stands for "no language".
    const language = ticket.language ?? '';
    let byTier = byLanguage.get(language);
    if (byTier === undefined) {
      byTier = [];
      byLanguage.set(language, byTier);
    }
    const tier = ticket.tier ?? 1;
    let heap = byTier[tier];
    if (heap === undefined) {
      heap = this.bucketByKey(ticket);
      byTier[tier] = heap;
    }
    return heap;
  }

  private bucketByKey(ticket: RoutingTicket): AgentHeap {
    const key = this.pipeline.bucketKey(ticket);
    let heap = this.buckets.get(key);
    if (heap) return heap;
    heap = new AgentHeap(this.agents.length, this.key, this.seqKey);
    const { staticSteps } = this.pipeline;
    const members: number[] = [];
    for (let i = 0; i < this.agents.length; i++) {
      if (check(staticSteps, this.agents[i]!, ticket, this.stats(i), this.onShift) === true) members.push(i);
    }
    for (const i of members) {
      this.memberOf[i]!.push(heap);
      if (this.eligibleNow(i)) heap.insert(i);
    }
    this.buckets.set(key, heap);
    return heap;
  }

  private changed(i: number): void {
    this.touched[i] = true;
    this.key[i] = this.pipeline.strategy.key(this.agents[i]!, this.stats(i));
    this.seqKey[i] = this.lastSeq[i]!;
    // A full agent leaves every heap and comes back when a ticket is released.
    const eligible = this.eligibleNow(i);
    for (const heap of this.memberOf[i]!) {
      if (eligible) heap.insert(i);
      else heap.remove(i);
    }
  }

  private preferred(ticket: RoutingTicket): { idx: number; why: string } | null {
    if (!this.pipeline.sticky) return null;
    const viaTicket = ticket.previousAgentId;
    const id =
      viaTicket ??
      (ticket.customerId === undefined ? undefined : this.lastAgentByCustomer.get(ticket.customerId));
    if (id === undefined) return null;
    const idx = this.list.index.get(id);
    if (idx === undefined) return null;
    if (check(this.pipeline.steps, this.agents[idx]!, ticket, this.stats(idx), this.onShift) !== true)
      return null;
    return { idx, why: viaTicket ? 'handled this ticket before' : 'last helped this customer' };
  }

  decide(ticket: RoutingTicket): RouteResult {
    return this.decideIn(ticket, undefined, ticket.id, ticket.at);
  }

  /** Decides `tickets` in the order given by their positions in `order`. */
  decideBacklog(tickets: readonly RoutingTicket[], order: readonly number[]): RouteResult[] {
    // What every decision needs of a ticket (its heap, id and time) is read front to back, in
    // the order the tickets sit in memory. Deciding in backlog order jumps around the backlog:
    // reading the ticket itself then missed the cache once per decision.
    const n = tickets.length;
    const heaps = new Array<AgentHeap>(n);
    const ids = new Array<string>(n);
    const ats = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ticket = tickets[i]!;
      heaps[i] = this.bucket(ticket);
      ids[i] = ticket.id;
      ats[i] = ticket.at;
    }
    const out = new Array<RouteResult>(order.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      out[k] = this.decideIn(tickets[i]!, heaps[i], ids[i]!, ats[i]!);
    }
    return out;
  }

  // `id` and `at` are the ticket's, passed so that the usual decision does not read the ticket.
  private decideIn(ticket: RoutingTicket, found: AgentHeap | undefined, id: string, at: number): RouteResult {
    let winner = -1;
    const sticky = this.preferred(ticket);
    if (sticky) winner = sticky.idx;
    else {
      const heap = found ?? this.bucket(ticket);
      const { checks } = this;
      let aside: number[] | undefined;
      while (heap.size > 0) {
        const top = heap.top();
        if (
          checks.length === 0 ||
          check(checks, this.agents[top]!, ticket, this.stats(top), this.onShift) === true
        ) {
          winner = top;
          break;
        }
        // Off shift or refused by a custom filter: out of the way for this decision only.
        heap.remove(top);
        if (aside === undefined) aside = [top];
        else aside.push(top);
      }
      if (aside) for (const i of aside) heap.insert(i);
    }
    if (winner < 0) return { ticketId: id, agentId: null, reason: this.explainNobody(ticket) };
    const agent = this.agents[winner]!;
    const reason = this.flat(
      explainPick(this.pipeline, agent, this.stats(winner), sticky?.why ?? null, this.prefix(winner)),
    );
    this.sequence++;
    this.load[winner]!++;
    this.assigned[winner]!++;
    this.lastSeq[winner] = this.sequence;
    this.lastAt[winner] = at;
    if (this.pipeline.sticky && ticket.customerId !== undefined)
      this.lastAgentByCustomer.set(ticket.customerId, agent.id);
    this.changed(winner);
    return { ticketId: id, agentId: agent.id, reason };
  }

  // Built once per agent and kept flat, so a reason adds two pieces, not six.
  private readonly prefixes: (string | undefined)[] = [];
  private prefix(i: number): string {
    let prefix = this.prefixes[i];
    if (prefix === undefined) {
      prefix = this.flat(pickPrefix(this.pipeline, this.agents[i]!));
      this.prefixes[i] = prefix;
    }
    return prefix;
  }

  // A reason built with a template is a tree of pieces (V8 joins strings lazily), and a
  // backlog keeps one reason per decision: the young-generation collector copied every piece
  // of 100,000 trees, most of assignBacklog's GC time. Reading a character makes V8 copy the
  // reason into one flat string, after which the pieces die young.
  private flat(reason: string): string {
    this.flatReads ^= reason.charCodeAt(0);
    return reason;
  }

  /** A ticket of this agent is done: one slot frees up. Unknown agents are ignored. */
  release(agentId: string): void {
    const i = this.list.index.get(agentId);
    if (i === undefined || this.load[i]! === 0) return;
    this.load[i]!--;
    this.changed(i);
  }

  loadOf(agentId: string): number {
    const i = this.list.index.get(agentId);
    return i === undefined ? 0 : this.load[i]!;
  }

  private explainNobody(ticket: RoutingTicket): string {
    const counts = new Map<string, number>();
    for (let i = 0; i < this.agents.length; i++) {
      const verdict = check(this.pipeline.steps, this.agents[i]!, ticket, this.stats(i), this.onShift);
      if (verdict !== true) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
    }
    return explainNobody(ticket, this.agents.length, counts);
  }

  state(): RouterState {
    const loads = record(Object.entries(this.base.loads));
    const assigned = record(Object.entries(this.base.assigned));
    const lastSequence = record(Object.entries(this.base.lastSequence));
    const lastAssignedAt = record(Object.entries(this.base.lastAssignedAt));
    this.agents.forEach((a, i) => {
      if (!this.touched[i]) return;
      loads[a.id] = this.load[i]!;
      assigned[a.id] = this.assigned[i]!;
      if (this.lastSeq[i]! > 0) lastSequence[a.id] = this.lastSeq[i]!;
      const at = this.lastAt[i]!;
      if (!Number.isNaN(at)) lastAssignedAt[a.id] = at;
    });
    return {
      version: 1,
      loads,
      assigned,
      lastSequence,
      lastAssignedAt,
      lastAgentByCustomer: record(this.lastAgentByCustomer),
      sequence: this.sequence,
    };
  }
}
