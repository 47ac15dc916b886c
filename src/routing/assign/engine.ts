// The indexed router behind assignBacklog and simulateRouting. Agents are grouped into
// buckets by the static part of a ticket's needs (skills, language, tier, availability);
// each bucket keeps a heap ordered by the strategy. Heap entries are invalidated lazily by a
// per-agent version, so an assignment costs O(buckets of the agent × log agents) and a
// decision pops only stale or momentarily ineligible entries.
import type { Agent } from '../../model/index.js';
import type { AgentList } from './agents.js';
import { check, explainNobody, explainPick, type Pipeline, type ShiftCheck } from './pipeline.js';
import type { AgentStats, RouterState, RoutingTicket } from './policy.js';
import { read, record } from './stateRecords.js';

/** One routing decision. */
export interface RouteResult {
  readonly ticketId: string;
  readonly agentId: string | null;
  /** Why this agent, or why nobody, in a sentence. */
  readonly reason: string;
}

interface Entry {
  key: number;
  seq: number;
  idx: number;
  version: number;
}

class Heap {
  readonly items: Entry[] = [];
  private before(a: Entry, b: Entry): boolean {
    return a.key < b.key || (a.key === b.key && (a.seq < b.seq || (a.seq === b.seq && a.idx < b.idx)));
  }
  push(e: Entry): void {
    const h = this.items;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }
  pop(): void {
    const h = this.items;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && this.before(h[r]!, h[l]!) ? r : l;
      if (!this.before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

export class RoutingEngine {
  private readonly agents: readonly Agent[];
  private readonly load: number[];
  private readonly assigned: number[];
  private readonly lastSeq: number[];
  private readonly lastAt: (number | undefined)[];
  private readonly version: number[];
  private readonly touched: boolean[];
  private readonly memberOf: Heap[][];
  private readonly buckets = new Map<string, Heap>();
  private readonly lastAgentByCustomer: Map<string, string>;
  private sequence: number;

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
    this.lastAt = ids.map((id) => read(base.lastAssignedAt, id));
    this.version = ids.map(() => 0);
    this.touched = ids.map(() => false);
    this.memberOf = ids.map(() => []);
    this.lastAgentByCustomer = new Map(Object.entries(base.lastAgentByCustomer));
    this.sequence = base.sequence;
  }

  stats(i: number): AgentStats {
    return { load: this.load[i]!, assigned: this.assigned[i]!, lastSequence: this.lastSeq[i]! };
  }

  private entry(i: number): Entry {
    return {
      key: this.pipeline.strategy.key(this.agents[i]!, this.stats(i)),
      seq: this.lastSeq[i]!,
      idx: i,
      version: this.version[i]!,
    };
  }

  private eligibleNow(i: number): boolean {
    return !this.pipeline.capacity || this.load[i]! < this.agents[i]!.capacity;
  }

  private bucket(ticket: RoutingTicket): Heap {
    const key = this.pipeline.bucketKey(ticket);
    let heap = this.buckets.get(key);
    if (heap) return heap;
    heap = new Heap();
    const { staticSteps } = this.pipeline;
    for (let i = 0; i < this.agents.length; i++) {
      if (check(staticSteps, this.agents[i]!, ticket, this.stats(i), this.onShift) !== true) continue;
      this.memberOf[i]!.push(heap);
      if (this.eligibleNow(i)) heap.push(this.entry(i));
    }
    this.buckets.set(key, heap);
    return heap;
  }

  private changed(i: number): void {
    this.version[i]!++;
    this.touched[i] = true;
    if (!this.eligibleNow(i)) return;
    for (const heap of this.memberOf[i]!) heap.push(this.entry(i));
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
    let winner = -1;
    const sticky = this.preferred(ticket);
    if (sticky) winner = sticky.idx;
    else {
      const heap = this.bucket(ticket);
      const aside: Entry[] = [];
      const { dynamicSteps } = this.pipeline;
      while (heap.items.length > 0) {
        const top = heap.items[0]!;
        if (top.version !== this.version[top.idx]) {
          heap.pop();
          continue;
        }
        let refused: (typeof dynamicSteps)[number] | undefined;
        const agent = this.agents[top.idx]!;
        const stats = this.stats(top.idx);
        for (const step of dynamicSteps) {
          if (step.test(agent, ticket, stats, this.onShift) !== true) {
            refused = step;
            break;
          }
        }
        if (!refused) {
          winner = top.idx;
          break;
        }
        heap.pop();
        // A full agent comes back when a ticket is released; anything else may pass next time.
        if (!refused.isCapacity) aside.push(top);
      }
      for (const e of aside) heap.push(e);
    }
    if (winner < 0) return { ticketId: ticket.id, agentId: null, reason: this.explainNobody(ticket) };
    const agent = this.agents[winner]!;
    const reason = explainPick(this.pipeline, agent, this.stats(winner), sticky?.why ?? null);
    this.sequence++;
    this.load[winner]!++;
    this.assigned[winner]!++;
    this.lastSeq[winner] = this.sequence;
    this.lastAt[winner] = ticket.at;
    if (ticket.customerId !== undefined) this.lastAgentByCustomer.set(ticket.customerId, agent.id);
    this.changed(winner);
    return { ticketId: ticket.id, agentId: agent.id, reason };
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
      const at = this.lastAt[i];
      if (at !== undefined) lastAssignedAt[a.id] = at;
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
