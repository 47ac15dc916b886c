/**
 * The ticket lifecycle's XState machine with its full XState type, for `createActor`,
 * `transition`, `getTransitionData` and the rest of XState. It is a subpath of its own because
 * xstate's declarations do not compile in a project with `skipLibCheck: false` and
 * `exactOptionalPropertyTypes`: `carekit/workflows` declares nothing from xstate, so such a
 * project can use it; a project that imports this subpath needs `skipLibCheck: true` (as XState
 * itself does under `exactOptionalPropertyTypes`).
 *
 * @module workflows/machine
 */

import { badArgument, checkObject, readArgument } from '../../model/arguments.js';
import type { WorkflowErrorCode } from '../errors.js';
import type { TicketMachine } from '../ticket/machine.js';
import type { TicketWorkflow } from '../ticket/workflow.js';

export type { TicketMachine, TicketMachineContext, TicketMachineInput } from '../ticket/machine.js';

/**
 * The workflow's XState machine, typed as XState knows it (the same object as
 * `workflow.machine`, which `carekit/workflows` declares without xstate's types).
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * const tickets = createTicketWorkflow();
 * const actor = createActor(ticketMachine(tickets), { input: { opened } }).start();
 * actor.getSnapshot().value;
 * //=> 'new'
 * ```
 */
export function ticketMachine(workflow: TicketWorkflow): TicketMachine {
  const expected = 'a ticket workflow (createTicketWorkflow)';
  const w = checkObject(workflow, 'ticketMachine', ['workflow'], expected);
  const machine = readArgument(w, 'machine', 'ticketMachine', ['workflow']);
  if (machine === null || typeof machine !== 'object' || !('root' in machine) || !('provide' in machine))
    badArgument<WorkflowErrorCode>('ticketMachine', ['workflow'], expected, workflow);
  return machine as TicketMachine;
}
