import { z } from 'zod';
import { CarekitArgumentError } from './arguments.js';
import { SlaClock, TicketStatus } from './enums.js';
import type { ModelErrorCode } from './errors.js';
import { type CarekitIssue, CarekitValidationError, toCarekitIssues } from './errors.js';

/** The lifecycle categories a custom status maps onto (the statuses an agent may set). */
export const StatusCategory = z.enum(['open', 'pending', 'on_hold', 'solved']);
export type StatusCategory = z.infer<typeof StatusCategory>;

/**
 * The SLA clocks a custom status may pause or keep running: every {@link SlaClock}.
 *
 * @deprecated Use {@link SlaClock}; this is the same schema under its old name.
 */
export const PausableClock = SlaClock;
/** @deprecated Use {@link SlaClock}. */
export type PausableClock = SlaClock;

/** A desk's own status (`awaiting_supplier`), mapped onto one lifecycle category. */
export const StatusDefinition = z.strictObject({
  /** Stable id, used in events (`customStatus`), rules and views. */
  id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, {
    message: 'must be a lowercase identifier: a letter, then letters, digits or _ (at most 64)',
  }),
  label: z.string().min(1).max(200),
  /** The lifecycle status it behaves as: the lifecycle's rules and the SLA pauses follow it. */
  category: StatusCategory,
  /**
   * Clocks this status pauses (`true`) or keeps running (`false`) whatever the SLA policy says of
   * its category; a clock not named follows the policy. `{ resolution: true }` stops the
   * resolution clock while the ticket awaits a supplier.
   */
  pauses: z.partialRecord(SlaClock, z.boolean()).optional(),
});
export type StatusDefinition = z.output<typeof StatusDefinition>;
export type StatusDefinitionInput = z.input<typeof StatusDefinition>;

/** A validated set of custom statuses (from {@link defineStatuses}). */
export interface TicketStatuses<Id extends string = string> {
  readonly definitions: readonly StatusDefinition[];
  /** Looks a status up by id. */
  byId(id: string): StatusDefinition | undefined;
  /** Type-only: the ids of the custom statuses. */
  readonly $ids?: Id;
}

const StatusDefinitionList = z.array(StatusDefinition).max(200);

/**
 * Declares a desk's custom statuses, each mapped onto a lifecycle category (open, pending,
 * on_hold, solved). The category drives the lifecycle and the SLA pauses, unless `pauses` says
 * otherwise for a clock. A ticket gets one with `ticket.status_set` (or a reply) carrying
 * `customStatus` and the category as `status`; it keeps it until its status changes again.
 *
 * @throws {@link CarekitValidationError} for a malformed definition, a repeated id
 * (`duplicate_id`) or an id that is a lifecycle status (`reserved_status`).
 * @example
 * ```ts
 * const statuses = defineStatuses([
 *   { id: 'awaiting_supplier', label: 'Awaiting supplier', category: 'on_hold', pauses: { resolution: true } },
 * ]);
 * statuses.byId('awaiting_supplier')?.category;
 * //=> 'on_hold'
 * ```
 */
export function defineStatuses<const S extends readonly StatusDefinitionInput[]>(
  schema: S,
): TicketStatuses<S[number]['id']> {
  let parsed: ReturnType<typeof StatusDefinitionList.safeParse>;
  try {
    parsed = StatusDefinitionList.safeParse(schema);
  } catch (cause) {
    // A Proxy or a getter that throws: a bad input, not a crash.
    throw new CarekitArgumentError<ModelErrorCode>(
      'unreadable_input',
      [],
      `the ticket statuses could not be read (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
  if (!parsed.success)
    throw new CarekitValidationError(toCarekitIssues(parsed.error.issues, schema), 'ticket statuses');
  const issues: CarekitIssue[] = [];
  const byId = new Map<string, StatusDefinition>();
  parsed.data.forEach((status, i) => {
    if ((TicketStatus.options as readonly string[]).includes(status.id)) {
      issues.push({
        code: 'reserved_status',
        path: [i, 'id'],
        message: `[${i}].id: "${status.id}" is a lifecycle status; a custom status needs its own name`,
      });
    }
    if (byId.has(status.id)) {
      issues.push({
        code: 'duplicate_id',
        path: [i, 'id'],
        message: `[${i}].id: the status id "${status.id}" is used twice`,
      });
    }
    byId.set(status.id, status);
  });
  if (issues.length > 0) throw new CarekitValidationError(issues, 'ticket statuses');
  return { definitions: parsed.data, byId: (id) => byId.get(id) };
}
