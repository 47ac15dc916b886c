import type { Channel, Priority } from '../model/index.js';
import type { SlaPolicy } from './createSlaPolicy.js';

/** What a policy's `when` condition looks at. A missing field matches no list that names it. */
export interface SlaTicketFacts {
  readonly segment?: string | null | undefined;
  readonly channel?: Channel | undefined;
  readonly category?: string | null | undefined;
  readonly priority?: Priority | undefined;
}

/**
 * Whether a policy applies to a ticket: every field of its `when` condition must list the
 * ticket's value. A policy without `when` applies to every ticket.
 *
 * @example
 * ```ts
 * const vip = createSlaPolicy({ id: 'vip', calendar: null, when: { segment: ['vip'] }, firstReply: { targets: { normal: { hours: 1 } } } });
 * slaPolicyApplies(vip, { segment: 'vip', channel: 'email' });
 * //=> true
 * slaPolicyApplies(vip, { channel: 'email' });
 * //=> false
 * ```
 */
export function slaPolicyApplies(policy: SlaPolicy, ticket: SlaTicketFacts): boolean {
  const when = policy.when;
  if (when === null) return true;
  const matches = (list: readonly string[] | undefined, value: string | null | undefined) =>
    list === undefined || (value != null && list.includes(value));
  return (
    matches(when.segment, ticket.segment) &&
    matches(when.channel, ticket.channel) &&
    matches(when.category, ticket.category) &&
    matches(when.priority, ticket.priority)
  );
}

/**
 * Picks the first policy that applies to a ticket (list the specific policies before the
 * general one), or `null` when none does.
 *
 * @example
 * ```ts
 * const vip = createSlaPolicy({ id: 'vip', calendar: null, when: { segment: ['vip'] }, firstReply: { targets: { normal: { hours: 1 } } } });
 * const standard = createSlaPolicy({ id: 'standard', calendar: null, firstReply: { targets: { normal: { hours: 8 } } } });
 * selectSlaPolicy([vip, standard], { segment: 'vip' })?.id;
 * //=> 'vip'
 * selectSlaPolicy([vip, standard], { segment: 'new' })?.id;
 * //=> 'standard'
 * ```
 */
export function selectSlaPolicy(policies: readonly SlaPolicy[], ticket: SlaTicketFacts): SlaPolicy | null {
  return policies.find((policy) => slaPolicyApplies(policy, ticket)) ?? null;
}
