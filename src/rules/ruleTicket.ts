import type { Channel, FieldValue, Priority, TicketStatus } from '../model/index.js';

// What a rule reads of a ticket, declared below both the compiled conditions and their
// evaluation, which each need it.

/** One SLA clock as a rule sees it. */
export interface RuleSlaClock {
  readonly status: 'inactive' | 'running' | 'paused' | 'fulfilled' | 'breached';
  readonly dueAt: number | null;
  readonly remainingMs: number | null;
}

/**
 * What rules read of a ticket: the lifecycle builds it from a snapshot after each event.
 * Instants are epoch ms. `sla` may be computed lazily (a getter): it is read only by rules that
 * test SLA clocks.
 */
export interface RuleTicket {
  readonly ticketId: string;
  readonly status: TicketStatus;
  readonly customStatus: string | null;
  readonly priority: Priority;
  readonly category: string | null;
  readonly channel: Channel;
  readonly customerId: string;
  readonly segment: string | null;
  readonly language: string | null;
  readonly origin: 'customer' | 'agent' | 'system';
  readonly assigneeId: string | null;
  readonly queue: string | null;
  readonly tier: number;
  readonly reopens: number;
  readonly agentReplies: number;
  readonly customerReplies: number;
  readonly tags: readonly string[];
  readonly customerTags: readonly string[];
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly openedAt: number;
  readonly statusChangedAt: number;
  readonly lastCustomerMessageAt: number | null;
  readonly lastAgentReplyAt: number | null;
  readonly solvedAt: number | null;
  readonly sla: Readonly<Record<string, RuleSlaClock>> | null;
}
