import { z } from 'zod';
import { Agent, CarekitValidationError, parseInput } from '../../model/index.js';
import { isWellFormedAgent } from './wellFormed.js';

export interface AgentList {
  readonly agents: readonly Agent[];
  readonly index: ReadonlyMap<string, number>;
}

const Agents = z.array(Agent).max(1_000_000);

/**
 * Validates an agent list and indexes it by id; duplicate ids are refused. Done on every
 * call, not cached by array: hosts update agents in place (availability, shifts) and the
 * router must see the change.
 */
export function agentList(agents: readonly unknown[]): AgentList {
  const parsed: readonly Agent[] =
    Array.isArray(agents) && agents.every(isWellFormedAgent) ? agents : parseInput(Agents, agents, 'agents');
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
  return { agents: parsed, index };
}
