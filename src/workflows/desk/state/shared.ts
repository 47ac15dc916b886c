import type { TicketEvent } from '../../../model/index.js';
import type { RouterState, RoutingTicketInput } from '../../../routing/index.js';
import type { TicketSnapshot } from '../../ticket/context.js';
import { type AgentLoad, holderOf, needsAgent, npsAskedAt, type TicketStore } from '../store.js';

/** How long a desk routes on loads it read before reading them again (ms of wall-clock time). */
const LOADS_TTL_MS = 250;
/** Customers whose last NPS ask a desk remembers between reads (least recently used dropped). */
const CUSTOMERS_KEPT = 10_000;

/** The ticket as the router sees it. */
export function routingTicketOf(
  snapshot: TicketSnapshot,
  at: number,
  tier: number,
  skills: readonly string[],
): RoutingTicketInput {
  const context = snapshot.context;
  return {
    id: context.ticketId,
    at,
    tier,
    priority: context.priority,
    customerId: context.customer.id,
    createdAt: context.openedAt,
    segment: context.customer.segment ?? null,
    category: context.category,
    channel: context.channel,
    tags: context.tags,
    ...(skills.length > 0 ? { skills: [...skills] } : {}),
    ...(context.language ? { language: context.language } : {}),
    ...(context.assigneeId ? { previousAgentId: context.assigneeId } : {}),
  };
}

interface CustomerMemo {
  lastAgentId: string | null;
  npsAskedAt: number | null;
}

/**
 * What a desk reads of the decisions every worker over its store shares: agent loads and the
 * router's memory ({@link TicketStore.agents}), each customer's sticky agent and last NPS ask
 * ({@link TicketStore.customer}). The store decides; this is a read-through view of it, so a
 * desk never relies on what only it holds:
 *
 * - loads are read at most every {@link LOADS_TTL_MS} and adjusted by the desk's own saves in
 *   between; a slot taken by a decision whose save has not come back is reserved, so calls in
 *   flight at once do not all pick one agent's last slot. A stale view can only propose an agent
 *   who has no room any more: the save's capacity claim refuses it (`agent_full`), the view is
 *   dropped and the call decides again on fresh loads;
 * - a customer's last NPS ask is read from the store before the first decision about the
 *   customer, and the save's throttle claim refuses an ask another worker made meanwhile
 *   (`survey_throttled`); the view is then read again.
 */
export class SharedState {
  private loads: Map<string, AgentLoad> | null = null;
  private loadedAt = 0;
  private reading: Promise<Map<string, AgentLoad>> | null = null;
  private readonly reserved = new Map<string, number>();
  private readonly customers = new Map<string, CustomerMemo>();
  private queue: { at: number; waiting: number } | null = null;

  constructor(
    private readonly store: TicketStore,
    private readonly sticky: boolean,
  ) {}

  private async agentLoads(): Promise<Map<string, AgentLoad>> {
    if (this.loads !== null && Date.now() - this.loadedAt < LOADS_TTL_MS) return this.loads;
    this.reading ??= this.store.agents().then(
      (agents) => {
        this.loads = new Map(agents.map((agent) => [agent.agentId, agent]));
        this.loadedAt = Date.now();
        this.reading = null;
        return this.loads;
      },
      (error: unknown) => {
        this.reading = null;
        throw error;
      },
    );
    return this.reading;
  }

  /** The router's state for a decision about one of the customer's tickets. */
  async routerState(customerId: string): Promise<RouterState> {
    const [agents, customer] = await Promise.all([this.agentLoads(), this.customer(customerId)]);
    const loads: Record<string, number> = {};
    const assigned: Record<string, number> = {};
    const lastSequence: Record<string, number> = {};
    const lastAssignedAt: Record<string, number> = {};
    let sequence = 0;
    for (const agent of agents.values()) {
      loads[agent.agentId] = agent.load;
      assigned[agent.agentId] = agent.assigned;
      if (agent.lastSequence > 0) lastSequence[agent.agentId] = agent.lastSequence;
      if (agent.lastAssignedAt !== null) lastAssignedAt[agent.agentId] = agent.lastAssignedAt;
      sequence = Math.max(sequence, agent.lastSequence);
    }
    for (const [agentId, n] of this.reserved) loads[agentId] = (loads[agentId] ?? 0) + n;
    return {
      version: 1,
      loads,
      assigned,
      lastSequence,
      lastAssignedAt,
      lastAgentByCustomer:
        this.sticky && customer.lastAgentId !== null ? { [customerId]: customer.lastAgentId } : {},
      sequence,
    };
  }

  /**
   * How many tickets are ahead of a new one: those waiting for a person and those agents hold
   * (read at most every {@link LOADS_TTL_MS}); the new ticket is not counted yet.
   */
  async queueLength(): Promise<number> {
    if (this.queue === null || Date.now() - this.queue.at >= LOADS_TTL_MS) {
      const waiting = await this.store.waiting();
      this.queue = { at: Date.now(), waiting: waiting.length };
    }
    const waiting = this.queue.waiting;
    let held = 0;
    for (const agent of (await this.agentLoads()).values()) held += agent.load;
    return held + waiting;
  }

  /** Holds a slot of the agent for a decision whose save is under way. */
  reserve(agentId: string): void {
    this.reserved.set(agentId, (this.reserved.get(agentId) ?? 0) + 1);
  }

  /** Gives back a reserved slot (the save came back: recorded, or refused). */
  unreserve(agentId: string): void {
    const next = (this.reserved.get(agentId) ?? 0) - 1;
    if (next <= 0) this.reserved.delete(agentId);
    else this.reserved.set(agentId, next);
  }

  /** Reads the customer's state from the store unless it is known. */
  async customer(customerId: string): Promise<CustomerMemo> {
    const known = this.customers.get(customerId);
    if (known !== undefined) {
      this.customers.delete(customerId);
      this.customers.set(customerId, known);
      return known;
    }
    const stored = await this.store.customer(customerId);
    const memo = { lastAgentId: stored.lastAgentId, npsAskedAt: stored.npsAskedAt };
    this.remember(customerId, memo);
    return memo;
  }

  /** Whether the customer may be asked for NPS at `at` (as far as the store said when last read). */
  eligible(customerId: string, at: number, every: number): boolean {
    const last = this.customers.get(customerId)?.npsAskedAt ?? null;
    return last === null || at - last >= every;
  }

  /** Takes in a save of this desk: the slot moved, the router's assignments, the customer's NPS ask. */
  saved(before: TicketSnapshot | null, after: TicketSnapshot, events: readonly TicketEvent[]): void {
    const was = before === null ? null : holderOf(before);
    const holder = holderOf(after);
    const loads = this.loads;
    if (loads !== null && was !== holder) {
      if (was !== null) this.bump(loads, was, { load: -1 });
      if (holder !== null) this.bump(loads, holder, { load: +1 });
    }
    if (this.queue !== null) {
      this.queue.waiting += (needsAgent(after) ? 1 : 0) - (before !== null && needsAgent(before) ? 1 : 0);
    }
    const customerId = after.context.customer.id;
    const memo = this.customers.get(customerId);
    for (const event of events) {
      if (event.type !== 'ticket.assigned' || event.by !== 'router' || event.agentId === null) continue;
      if (loads !== null) {
        const top = Math.max(0, ...[...loads.values()].map((a) => a.lastSequence));
        this.bump(loads, event.agentId, { assigned: 1, lastSequence: top + 1, lastAssignedAt: event.at });
      }
      if (memo !== undefined) memo.lastAgentId = event.agentId;
    }
    const asked = npsAskedAt(after);
    if (memo !== undefined && asked !== null && (memo.npsAskedAt === null || asked > memo.npsAskedAt)) {
      memo.npsAskedAt = asked;
    }
  }

  /** Forgets what was read (a capacity or throttle claim was refused: the store knows better). */
  forget(customerId?: string): void {
    this.loads = null;
    this.queue = null;
    if (customerId !== undefined) this.customers.delete(customerId);
  }

  private remember(customerId: string, memo: CustomerMemo): void {
    this.customers.set(customerId, memo);
    if (this.customers.size > CUSTOMERS_KEPT) {
      const oldest = this.customers.keys().next().value as string;
      this.customers.delete(oldest);
    }
  }

  private bump(
    loads: Map<string, AgentLoad>,
    agentId: string,
    change: { load?: number; assigned?: number; lastSequence?: number; lastAssignedAt?: number },
  ): void {
    const agent = loads.get(agentId) ?? {
      agentId,
      load: 0,
      assigned: 0,
      lastSequence: 0,
      lastAssignedAt: null,
    };
    loads.set(agentId, {
      agentId,
      load: agent.load + (change.load ?? 0),
      assigned: agent.assigned + (change.assigned ?? 0),
      lastSequence: change.lastSequence ?? agent.lastSequence,
      lastAssignedAt: change.lastAssignedAt ?? agent.lastAssignedAt,
    });
  }
}
