import { badArgument, checkArray, checkObject, readArgument } from '../model/arguments.js';
import type { Channel, Priority } from '../model/index.js';
import type { SlaPolicy } from './createSlaPolicy.js';
import type { SlaErrorCode } from './errors.js';
import { assertSlaPolicy } from './options.js';

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
  assertSlaPolicy(policy, 'slaPolicyApplies');
  return applies(policy, checkTicket(ticket, 'slaPolicyApplies'));
}

const FACTS = ['segment', 'channel', 'category', 'priority'] as const;

/** Reads the four facts once (a getter or Proxy that throws is refused clearly). */
function checkTicket(ticket: unknown, fn: string): SlaTicketFacts {
  const t = checkObject(
    ticket,
    fn,
    ['ticket'],
    'the ticket facts ({ segment?, channel?, category?, priority? })',
  );
  const facts: Record<string, unknown> = {};
  for (const key of FACTS) {
    const value = readArgument(t, key, fn, ['ticket', key]);
    if (value !== undefined && value !== null && typeof value !== 'string')
      badArgument<SlaErrorCode>(fn, ['ticket', key], 'a string, null or undefined', value);
    facts[key] = value;
  }
  return facts as SlaTicketFacts;
}

function applies(policy: SlaPolicy, ticket: SlaTicketFacts): boolean {
  const when = policy.when;
  if (when === null) return true;
  const matches = (list: readonly string[] | undefined, value: string | null | undefined) =>
    // Stryker disable next-line ConditionalExpression: a list of strings includes neither null nor undefined, so `value != null` only narrows the type.
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
  const list = checkArray(
    policies,
    'selectSlaPolicy',
    ['policies'],
    'an array of SLA policies from createSlaPolicy',
  );
  list.forEach((policy, i) => {
    assertSlaPolicy(policy, 'selectSlaPolicy', ['policies', i]);
  });
  const facts = checkTicket(ticket, 'selectSlaPolicy');
  return (list as readonly SlaPolicy[]).find((policy) => applies(policy, facts)) ?? null;
}
