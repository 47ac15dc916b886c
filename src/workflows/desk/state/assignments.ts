import type { TicketEvent } from '../../../model/index.js';
import { initialRouterState, type RouterState, type RoutingTicketInput } from '../../../routing/index.js';
import type { TicketSnapshot } from '../../ticket/context.js';

/** Statuses in which a ticket holds its assignee's slot. */
const HOLDING = new Set(['new', 'open', 'pending', 'on_hold']);

/** A ticket needs a person: new or open, nobody holds it, in no special queue. */
export function needsAgent(snapshot: TicketSnapshot): boolean {
  const { status, context } = snapshot;
  return (status === 'new' || status === 'open') && context.assigneeId === null && context.queue === null;
}

/** Since when a ticket that needs a person has waited: its opening, or its last change of status. */
export function waitingSince(snapshot: TicketSnapshot): number {
  return snapshot.status === 'new' ? snapshot.context.openedAt : snapshot.context.statusChangedAt;
}

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

/**
 * The assignment ledger: who holds each live ticket, which tickets wait for a person, and the
 * router's memory of its own assignments. Everything here is derived from the store — the
 * holders and the waiting list from the saved snapshots, the router's memory from the log of
 * its `ticket.assigned` events (`by: 'router'`) in save order — so a desk restarted over the
 * same store rebuilds exactly what a desk that never stopped has. It changes only after a save
 * succeeded ({@link Assignments.record}), so a refused or conflicting call leaves it as it was.
 */
export class Assignments {
  private readonly holders = new Map<string, string>();
  private readonly loads = new Map<string, number>();
  private readonly waitingSet = new Map<string, TicketSnapshot>();
  // Slots taken by decisions whose save has not come back yet: two calls in flight at once
  // must not both fill an agent's last slot. Given back when the save returns, either way.
  private readonly reserved = new Map<string, number>();
  private memory: RouterState = initialRouterState();

  constructor(private readonly sticky: boolean) {}

  /** The router's state: loads from the holders (and slots reserved by calls in flight), the rest from its assignments. */
  routerState(): RouterState {
    const loads: Record<string, number> = Object.fromEntries(this.loads);
    for (const [agentId, n] of this.reserved) loads[agentId] = (loads[agentId] ?? 0) + n;
    return { ...this.memory, loads };
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

  /** The open tickets an agent holds. */
  load(agentId: string): number {
    return this.loads.get(agentId) ?? 0;
  }

  /** Tickets held by any of the agents, in ticket id order. */
  heldBy(agentIds: ReadonlySet<string>): string[] {
    const found: string[] = [];
    for (const [ticketId, agentId] of this.holders) if (agentIds.has(agentId)) found.push(ticketId);
    // In id order, not the order the ledger learnt them (that differs after a restart).
    return found.sort();
  }

  waiting(): readonly TicketSnapshot[] {
    return [...this.waitingSet.values()];
  }

  isWaiting(ticketId: string): boolean {
    return this.waitingSet.has(ticketId);
  }

  /** How many tickets are ahead of a new one: those waiting and those agents hold. */
  queueLength(): number {
    return this.waitingSet.size + this.holders.size;
  }

  /** Takes in a saved ticket: its holder, whether it waits, and the router's own assignments among `events`. */
  record(snapshot: TicketSnapshot, events: readonly TicketEvent[]): void {
    const ticketId = snapshot.context.ticketId;
    const holder = HOLDING.has(snapshot.status) ? snapshot.context.assigneeId : null;
    const was = this.holders.get(ticketId) ?? null;
    if (was !== holder) {
      if (was !== null) this.adjust(was, -1);
      if (holder === null) this.holders.delete(ticketId);
      else {
        this.holders.set(ticketId, holder);
        this.adjust(holder, +1);
      }
    }
    if (needsAgent(snapshot)) this.waitingSet.set(ticketId, snapshot);
    else this.waitingSet.delete(ticketId);
    for (const event of events) this.remember(event, snapshot.context.customer.id);
  }

  /** Counts one of the router's own assignments into its memory (round robin's order, stickiness). */
  remember(event: TicketEvent, customerId: string): void {
    if (event.type !== 'ticket.assigned' || event.agentId === null || event.by !== 'router') return;
    const agentId = event.agentId;
    const m = this.memory;
    const sequence = m.sequence + 1;
    this.memory = {
      version: 1,
      loads: m.loads,
      assigned: { ...m.assigned, [agentId]: (m.assigned[agentId] ?? 0) + 1 },
      lastSequence: { ...m.lastSequence, [agentId]: sequence },
      lastAssignedAt: { ...m.lastAssignedAt, [agentId]: event.at },
      lastAgentByCustomer: this.sticky
        ? { ...m.lastAgentByCustomer, [customerId]: agentId }
        : m.lastAgentByCustomer,
      sequence,
    };
  }

  clear(): void {
    this.holders.clear();
    this.loads.clear();
    this.waitingSet.clear();
    this.memory = initialRouterState();
  }

  private adjust(agentId: string, by: number): void {
    // An agent who held tickets stays in the loads at 0, as the router's own state keeps them.
    this.loads.set(agentId, (this.loads.get(agentId) ?? 0) + by);
  }
}
