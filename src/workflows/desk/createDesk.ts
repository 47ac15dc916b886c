import type { Calendar } from '../../calendar/index.js';
import { checkInstant, isInstantArgument, readNowOption } from '../../model/arguments.js';
import { CarekitError, type NowOptions, parseTicketEvent } from '../../model/index.js';
import {
  createBotPolicy,
  createRouter,
  type Router,
  type RoutingPolicy,
  type RoutingPolicyConfig,
} from '../../routing/index.js';
import type { WorkflowErrorCode } from '../errors.js';
import { createTicketWorkflow, type TicketWorkflow } from '../ticket/workflow.js';
import { type DeskDeps, NO_SLA } from './deps.js';
import { blocklist } from './operations/blocklist.js';
import { eraseCustomer } from './operations/erasure.js';
import { deliver } from './operations/handle.js';
import { openChild } from './operations/openChild.js';
import { reachOut } from './operations/reachOut.js';
import { receive } from './operations/receive.js';
import { link, merge, split, syncChild, unlink } from './operations/relations.js';
import { facts, metrics } from './operations/reports.js';
import { restore } from './operations/restore.js';
import { knownAgents, setAgents } from './operations/setAgents.js';
import { tick } from './operations/tick.js';
import { type DeskOptions, resolveDeskOptions } from './options.js';
import { BatchLoader, GroupCommit } from './state/batching.js';
import { SharedState } from './state/shared.js';
import { createMemoryStore } from './store.js';
import type { Desk } from './types.js';

export type { InboundContactInput } from './inbound.js';
export { InboundContact } from './inbound.js';
export type { DeskOptions, ResolvedDeskOptions } from './options.js';
export {
  BOT_QUEUE,
  type Desk,
  type DeskBatchResult,
  type DeskBot,
  type DeskEffect,
  type DeskResult,
  type DeskTemplates,
  type DeskWarning,
  type DeskWarningCode,
  type OutreachPlanInput,
  type SendMessageEffect,
} from './types.js';

/** A desk's id as the owner of its claims on due tickets: unique per desk, in any runtime. */
function deskOwnerId(): string {
  const random = globalThis.crypto?.randomUUID?.();
  return `desk-${random ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`}`;
}

/** `now` of a desk call: an options bag `{ now }`, or the deprecated positional instant. */
function nowOf(options: NowOptions | Date | number | undefined, fn: string): number | undefined {
  return isInstantArgument(options) ? checkInstant(options, fn, ['now']) : readNowOption(options, fn);
}

function isRouter(value: unknown): value is Router {
  return typeof value === 'object' && value !== null && typeof (value as Router).route === 'function';
}

/**
 * Composes carekit into one care process over a {@link TicketStore}. `receive` turns an inbound
 * contact into a routed, acknowledged ticket (or threads it onto the ticket it answers); `handle`
 * applies events under the time rule with optimistic concurrency (a conflicting save decides
 * again on the newer state, so no update is lost); `tick` wakes due tickets and routes waiting
 * ones; `metrics` reports KPIs from the stored events. Every operation runs through one commit
 * loop over a pipeline of stages (intake → classify → select SLA → open or apply → bot → route →
 * render), and the desk's state (agent loads, waiting tickets, survey throttle) is rebuilt from
 * the store, so a restarted desk decides as one that never stopped. A customer's message is
 * never dropped: a reply to a closed ticket opens a follow-up linked to it.
 *
 * @example
 * ```ts
 * const desk = createDesk({ agents: [{ id: 'a1', name: 'Ana' }] });
 * const { ticket } = await desk.receive({
 *   externalId: 'mail-1', channel: 'email', customer: { id: 'c1' },
 *   subject: 'Late parcel', body: 'Where is my order?', at: '2026-11-23T09:00:00Z',
 * });
 * [ticket.status, ticket.assigneeId];
 * //=> ['open', 'a1']
 * ```
 */
export function createDesk(input: DeskOptions = {}): Desk {
  const options = resolveDeskOptions(input);
  const store = options.store ?? createMemoryStore();
  const policies = options.slaPolicies ?? [];
  const router: Router = isRouter(options.router)
    ? options.router
    : createRouter(
        (options.router as RoutingPolicy | RoutingPolicyConfig | undefined) ?? {},
        options.calendars ? { calendars: options.calendars as Record<string, Calendar> } : {},
      );
  if (options.bot && !options.templates) {
    throw new CarekitError<WorkflowErrorCode>(
      'bot_needs_templates',
      'the bot needs `templates` to render its answers',
    );
  }
  const botPolicy = options.bot ? createBotPolicy(options.bot.policy ?? {}) : null;
  const shared = new SharedState(store, router.filters.includes('sticky'));
  const workflows = new Map<string, TicketWorkflow>();
  let restoring: Promise<unknown> | null = null;

  const deps: DeskDeps = {
    options,
    store,
    policies,
    router,
    agents: options.agents,
    known: knownAgents(options.agents, botPolicy?.agentId ?? null),
    shared,
    writer: new GroupCommit(store),
    loader: new BatchLoader(store),
    owner: deskOwnerId(),
    templates: options.templates ?? null,
    botPolicy,
    workflow(key) {
      let found = workflows.get(key);
      if (!found) {
        const policy = key === NO_SLA ? null : (policies.find((p) => p.id === key) ?? null);
        if (key !== NO_SLA && policy === null) {
          throw new CarekitError<WorkflowErrorCode>(
            'unknown_workflow',
            `the stored ticket runs under SLA policy \`${key}\`, which this desk does not have`,
          );
        }
        found = createTicketWorkflow({
          ...(options.lifecycle ?? {}),
          npsEligible: (customerId, at, every) => shared.eligible(customerId, at, every),
          sla: policy,
          ...(options.calendars ? { calendars: options.calendars } : {}),
          ...(options.escalation ? { escalation: options.escalation } : {}),
          ...(options.fields ? { fields: options.fields } : {}),
          ...(options.statuses ? { statuses: options.statuses } : {}),
          ...(options.rules ? { rules: options.rules } : {}),
        });
        workflows.set(key, found);
      }
      return found;
    },
    ready() {
      return restoring === null ? Promise.resolve() : restoring.then(() => undefined);
    },
  };
  // Fail on a bad lifecycle configuration now, not on the first contact.
  deps.workflow(NO_SLA);

  return {
    get options() {
      return { ...options, agents: deps.agents };
    },
    store,
    templates: deps.templates,
    receive: (contact) => receive(deps, contact),
    handle: async (event) => deliver(deps, parseTicketEvent(event)),
    tick: async (options?: NowOptions | Date | number) =>
      tick(deps, nowOf(options, 'desk.tick') ?? Date.now()),
    setAgents: (agents, at) => setAgents(deps, agents, at),
    reachOut: (plan) => reachOut(deps, plan),
    async ticket(ticketId: string, options?: NowOptions | Date | number) {
      const now = nowOf(options, 'desk.ticket');
      const stored = await store.load(ticketId);
      return stored
        ? deps.workflow(stored.workflowKey).view(stored.snapshot, now === undefined ? undefined : { now })
        : null;
    },
    merge: (sourceIds, targetId, relation) => merge(deps, sourceIds, targetId, relation),
    split: (ticketId, messages, relation) => split(deps, ticketId, messages, relation),
    link: (parentId, childId, relation) => link(deps, parentId, childId, relation),
    openChild: (parentId, child) => openChild(deps, parentId, child),
    unlink: (parentId, childId, relation) => unlink(deps, parentId, childId, relation),
    syncChild: (childId, relation) => syncChild(deps, childId, relation),
    facts: (range) => facts(deps, range),
    metrics: (range, reportOptions) => metrics(deps, range, reportOptions),
    blocklist: blocklist(deps),
    eraseCustomer: (customerId, erasure) => eraseCustomer(deps, customerId, erasure),
    async restore() {
      const done = restore(deps);
      restoring = done;
      return done;
    },
    routerState: async () => {
      await deps.ready();
      return deps.shared.routerState('');
    },
    waiting: async () => (await store.waiting()).map((t) => t.ticketId),
  };
}
