import type { AgentStats, RouterState } from './policy.js';

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
