import { z } from 'zod';
import { Agent, CarekitValidationError, parseInput } from '../../model/index.js';

export interface AgentList {
  readonly agents: readonly Agent[];
  readonly index: ReadonlyMap<string, number>;
}

const cache = new WeakMap<readonly unknown[], AgentList>();
const Agents = z.array(Agent).max(1_000_000);

/**
 * Validates an agent list once per array (the router is called many times with the same
 * list) and indexes it by id. Duplicate ids are refused.
 */
export function agentList(agents: readonly unknown[]): AgentList {
  const hit = cache.get(agents);
  if (hit) return hit;
  const parsed = parseInput(Agents, agents, 'agents');
  const index = new Map<string, number>();
  parsed.forEach((agent, i) => {
    if (index.has(agent.id)) {
      throw new CarekitValidationError(
        [
          {
            code: 'duplicate_agent',
            path: [i, 'id'],
            message: `[${i}].id: agent id ${JSON.stringify(agent.id)} appears twice`,
          },
        ],
        'agents',
      );
    }
    index.set(agent.id, i);
  });
  const list = { agents: parsed, index };
  cache.set(agents, list);
  return list;
}
