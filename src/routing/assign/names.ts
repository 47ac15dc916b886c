import { badArgument } from '../../model/arguments.js';
import type { RoutingErrorCode } from '../errors.js';

// The built-in filters and strategies as importable values, so a policy can be written
// `{ filters: [available, hasSkills, speaks], strategy: roundRobin }` and still be plain data.

/** Keeps agents with every skill the ticket needs. @example `createRouter({ filters: [hasSkills] })` */
export const hasSkills = 'hasSkills' as const;
/** Keeps agents who speak the ticket's language (any region of it). @example `createRouter({ filters: [speaks] })` */
export const speaks = 'speaks' as const;
/** Keeps agents whose shift calendar is open at the ticket's time. @example `createRouter({ filters: [onShift] }, { isOnShift })` */
export const onShift = 'onShift' as const;
/** Keeps agents whose availability is `available`. @example `createRouter({ filters: [available] })` */
export const available = 'available' as const;
/** Keeps agents with an open slot (load below capacity). @example `createRouter({ filters: [withinCapacity] })` */
export const withinCapacity = 'withinCapacity' as const;
/** Prefers the agent who handled this ticket or last helped this customer, if eligible. @example `createRouter({ filters: [available, sticky] })` */
export const sticky = 'sticky' as const;
/** Picks the agent assigned longest ago. @example `createRouter({ strategy: roundRobin })` */
export const roundRobin = 'roundRobin' as const;
/** Picks the agent with the fewest open tickets. @example `createRouter({ strategy: leastLoaded })` */
export const leastLoaded = 'leastLoaded' as const;
/** Picks the agent with the most free slots (Zendesk's default). @example `createRouter({ strategy: mostSpareCapacity })` */
export const mostSpareCapacity = 'mostSpareCapacity' as const;
/** Picks the agent with the largest free share of capacity. @example `createRouter({ strategy: mostSparePercent })` */
export const mostSparePercent = 'mostSparePercent' as const;

/**
 * Keeps agents of at least this tier (and at least the ticket's own `tier`).
 *
 * @example
 * ```ts
 * createRouter({ filters: [available, tierAtLeast(2)] }).filters;
 * //=> ['available', 'tierAtLeast(2)']
 * ```
 */
export function tierAtLeast(tier = 1): { readonly filter: 'tierAtLeast'; readonly tier: number } {
  if (!Number.isInteger(tier) || tier < 1 || tier > 100)
    badArgument<RoutingErrorCode>(
      'tierAtLeast',
      ['tier'],
      'a whole tier number from 1 to 100',
      tier,
      'invalid_tier',
    );
  return { filter: 'tierAtLeast', tier };
}
