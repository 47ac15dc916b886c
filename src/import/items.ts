import type { TicketEventInput } from '../model/index.js';

/**
 * A message whose author the reader cannot place alone: the importer makes it a customer's reply
 * when the author is the ticket's customer, else an agent's reply (public) or note (private).
 */
export interface ImportComment {
  readonly type: 'import.comment';
  readonly id: string;
  readonly ticketId: string;
  readonly at: number;
  readonly body: string;
  readonly public: boolean;
  /** The author as a customer id (compared with the ticket's customer). */
  readonly customerId: string;
  /** The author as an agent id, or why the mapping has none. */
  readonly agent: { readonly id: string } | { readonly unmapped: string };
  /**
   * The author is on the customer's side though not the ticket's customer: an end-user (by the
   * export's users), or the requester a later change named. Their comment is the customer's reply.
   */
  readonly customerSide?: boolean;
  readonly workMs?: number;
}

/** What a reader makes of a record: carekit events (and comments to place) for one ticket. */
export type ImportEvent = TicketEventInput | ImportComment;

/** Where a record is in the export: its line, its index among the records, and the source's id. */
export interface RecordPlace {
  readonly line: number;
  readonly index: number;
  /** The source's id of the record or of the part of it concerned (`audit 7 event 12`). */
  readonly source: string;
}

/**
 * A record, or part of one, that was not imported, and why: every such record is reported, and
 * nothing else is left out but the source's own effects (notifications), counted as `ignored`.
 */
export interface ImportProblem extends RecordPlace {
  /** The carekit ticket concerned, when known. */
  readonly ticketId: string | null;
  /**
   * `unreadable` (not JSON, too large or deep), `unknown_record`, `invalid_record`,
   * `unmapped_status`, `unmapped_priority`, `unmapped_channel`, `unmapped_group`,
   * `unmapped_field`, `unmapped_category`, `unmapped_agent`, `no_opening` (the ticket's creation is
   * not in the export), `invalid_event` (carekit refused the event's shape), `rejected` (the
   * lifecycle refused it: `code` of the rejection in `reason`), `not_in_carekit` (a change carekit
   * does not model, such as a subject edit the mapping does not keep in a field), `invalid_person`
   * (a user or organization record without its id or role, or with contact data carekit refuses),
   * `unknown_merge_target` (a merge whose target the export does not name: imported as a close),
   * `refused` (the store refused the save).
   */
  readonly code: string;
  /** A finer reason where there is one: the rejection's code, the store's refusal. */
  readonly reason?: string;
  readonly message: string;
}

/** The figures a source computed for a ticket, in minutes, to compare with carekit's. */
export interface SourceMetrics {
  readonly firstReply?: MinutePair;
  readonly firstResolution?: MinutePair;
  readonly fullResolution?: MinutePair;
}

/** Calendar and business minutes, as Zendesk's ticket metrics give them. */
export interface MinutePair {
  readonly calendar: number | null;
  readonly business: number | null;
}

/** One item a reader yields, in the export's order. */
export type ImportItem =
  | {
      readonly kind: 'events';
      readonly ticketId: string;
      readonly place: RecordPlace;
      readonly events: readonly ImportEvent[];
    }
  | { readonly kind: 'problem'; readonly problem: ImportProblem }
  | { readonly kind: 'ignored'; readonly what: string; readonly place: RecordPlace }
  | {
      /** A user or organization read into the people directory (it names customers and agents). */
      readonly kind: 'person';
      readonly what: 'customer' | 'agent' | 'organization';
      readonly place: RecordPlace;
    }
  | {
      readonly kind: 'metrics';
      readonly ticketId: string;
      readonly place: RecordPlace;
      readonly metrics: SourceMetrics;
    };
