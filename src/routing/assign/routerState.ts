import { CarekitArgumentError, checkNumber, readBag } from '../../model/arguments.js';
import type { RoutingErrorCode } from '../errors.js';

// The router's state (plain JSON, passed in and returned by every decision) and the records it is made of.

/**
 * What the router knows about an agent besides the record. The object is valid during the
 * call it is passed to (the router reuses it); copy the numbers to keep them.
 */
export interface AgentStats {
  /** Open tickets assigned now. */
  readonly load: number;
  /** Tickets assigned so far. */
  readonly assigned: number;
  /** Order of the agent's last assignment (0 = never): round robin's clock. */
  readonly lastSequence: number;
}

/** The router's state: plain JSON, passed in and returned by every decision. */
export interface RouterState {
  readonly version: 1;
  /** Open tickets per agent id. */
  readonly loads: Readonly<Record<string, number>>;
  /** Tickets assigned so far per agent id. */
  readonly assigned: Readonly<Record<string, number>>;
  /** Sequence number of each agent's last assignment. */
  readonly lastSequence: Readonly<Record<string, number>>;
  /** Epoch ms of each agent's last assignment. */
  readonly lastAssignedAt: Readonly<Record<string, number>>;
  /** The agent who last took a ticket of each customer. */
  readonly lastAgentByCustomer: Readonly<Record<string, string>>;
  /** Assignments made so far. */
  readonly sequence: number;
}

/**
 * A fresh router state: nobody has work. Pass `loads` when agents already hold tickets.
 *
 * @example
 * ```ts
 * initialRouterState({ ana: 3 }).loads.ana;
 * //=> 3
 * ```
 */
export function initialRouterState(loads: Readonly<Record<string, number>> = {}): RouterState {
  // The type is checked before any key is read: a 10 MB string here was enumerated per character.
  const bag = readBag(loads, 'initialRouterState', ['loads'], 'an object of open tickets by agent id');
  const entries = Object.entries(bag);
  if (entries.length > MAX_AGENTS)
    throw new CarekitArgumentError<RoutingErrorCode>(
      'too_big',
      ['loads'],
      `initialRouterState: loads has ${entries.length} agents; at most ${MAX_AGENTS} are allowed`,
    );
  for (const [id, load] of entries)
    checkNumber(
      load,
      'initialRouterState',
      ['loads', id],
      'a whole number of open tickets (0 or more)',
      0,
      Number.MAX_SAFE_INTEGER,
    );
  return {
    version: 1,
    loads: record(entries as [string, number][]),
    assigned: record([]),
    lastSequence: record([]),
    lastAssignedAt: record([]),
    lastAgentByCustomer: record([]),
    sequence: 0,
  };
}

/** The most agents a router state holds loads for. */
const MAX_AGENTS = 1_000_000;

/** A dictionary without a prototype, so any id (even `__proto__`) is a plain key. */
export function record<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** Reads an own entry of a state record. */
export function read<V>(r: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(r, key) ? r[key] : undefined;
}

/** The agent's stats in a state. */
export function statsOf(state: RouterState, id: string): AgentStats {
  return {
    load: read(state.loads, id) ?? 0,
    assigned: read(state.assigned, id) ?? 0,
    lastSequence: read(state.lastSequence, id) ?? 0,
  };
}
