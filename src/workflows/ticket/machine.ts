import { and, assign, setup } from 'xstate';
import { isFinalStatus, type TicketEvent, type TicketEventOf, TicketStatus } from '../../model/index.js';
import { cloneContext, type TicketContext } from './context.js';
import type { EffectDraft } from './effects.js';
import type { RuleEnv } from './ruleEnv.js';
import {
  type Action,
  type ActionName,
  actions,
  type Guard,
  type GuardName,
  type GuardParams,
  type RejectionCode,
  type Rule,
  settle,
  guards as ticketGuards,
  ticketRules,
} from './rules.js';
import { openedContext, openingEffects } from './start.js';

/** The machine's context: the ticket's context plus the outbox of the step just taken. */
export interface TicketMachineContext extends TicketContext {
  /** Effects of the last step, drained by whoever drives the actor. */
  outbox: EffectDraft[];
  /** Set when the last event was rejected by a rule (the ticket itself is unchanged). */
  rejection: RejectionCode | null;
}

/** Input of the machine: the `ticket.opened` event. */
export interface TicketMachineInput {
  opened: TicketEventOf<'ticket.opened'>;
}

const STATUSES: readonly TicketStatus[] = TicketStatus.options;

function copy(context: TicketMachineContext): TicketMachineContext {
  return { ...cloneContext(context), outbox: [...context.outbox], rejection: context.rejection };
}

/**
 * Builds the XState machine of the lifecycle from the rule table. Its state value is the
 * ticket's status; its guards and actions are the same functions the fast `apply` uses.
 * Most users get it as `createTicketWorkflow(options).machine`; this is for tools that build
 * the machine for their own rule environment.
 *
 * @example
 * ```ts
 * const machine = createTicketWorkflow().machine; // built with buildTicketMachine
 * Object.keys(machine.root.states);
 * //=> ['new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'merged']
 * ```
 */
export function buildTicketMachine(env: RuleEnv) {
  const guardImpls = Object.fromEntries(
    (Object.keys(ticketGuards) as GuardName[]).map((name) => [
      name,
      (
        { context, event }: { context: TicketMachineContext; event: TicketEvent },
        params: GuardParams | undefined,
      ) => (ticketGuards[name] as Guard)(context, event, env, params ?? {}),
    ]),
  ) as Record<
    GuardName,
    (args: { context: TicketMachineContext; event: TicketEvent }, params: GuardParams | undefined) => boolean
  >;

  const actionImpls = Object.fromEntries(
    (Object.keys(actions) as ActionName[]).map((name) => [
      name,
      assign(({ context, event }: { context: TicketMachineContext; event: TicketEvent }) => {
        const next = copy(context);
        (actions[name] as Action)(next, event, env, next.outbox);
        return next;
      }),
    ]),
  );

  const machineSetup = setup({
    types: {
      context: {} as TicketMachineContext,
      events: {} as TicketEvent,
      input: {} as TicketMachineInput,
    },
    guards: guardImpls,
    actions: {
      ...actionImpls,
      /** Clears the outbox and the rejection before a step. */
      begin: assign({ outbox: () => [] as EffectDraft[], rejection: () => null }),
      /** Bookkeeping after an accepted event, with the status reached. */
      settle: assign(({ context, event }, params: { from: TicketStatus; to: TicketStatus }) => {
        const next = copy(context);
        settle(next, params.from, params.to, event, env, next.outbox);
        return next;
      }),
      /** Records a rejection; the ticket itself does not change. */
      reject: assign((_, params: { code: RejectionCode }) => ({ rejection: params.code })),
    },
  });

  const toTransition = (from: TicketStatus, rule: Rule) => {
    const to = rule.target ?? from;
    const guard =
      rule.guards.length === 0
        ? undefined
        : rule.guards.length === 1
          ? rule.guards[0]!
          : and(rule.guards.map((g) => g as { type: GuardName; params?: GuardParams }));
    const stepActions = rule.reject
      ? [{ type: 'begin' as const }, { type: 'reject' as const, params: { code: rule.reject } }]
      : [
          { type: 'begin' as const },
          ...rule.actions.map((type) => ({ type })),
          { type: 'settle' as const, params: { from, to } },
        ];
    return {
      ...(guard === undefined ? {} : { guard }),
      ...(rule.target === undefined || rule.reject ? {} : { target: rule.target }),
      actions: stepActions,
    };
  };

  const states = Object.fromEntries(
    STATUSES.map((status) => {
      const on = Object.fromEntries(
        Object.entries(ticketRules[status]).map(([type, rules]) => [
          type,
          (rules ?? []).map((rule) => toTransition(status, rule)),
        ]),
      );
      const final = isFinalStatus(status);
      const node: Record<string, unknown> = { on };
      if (final) node.tags = ['final'];
      if (status === 'new') {
        node.always = [{ guard: 'blockedToSpam', target: 'closed', actions: [{ type: 'closeBlocked' }] }];
      }
      return [status, node];
    }),
  );

  return machineSetup.createMachine({
    id: 'ticket',
    initial: 'new',
    context: ({ input }) => {
      const context = openedContext(input.opened, env);
      const outbox =
        context.customer.blocked === true && env.config.blockedCustomers === 'close_as_spam'
          ? []
          : openingEffects(context, input.opened, env);
      return { ...context, outbox, rejection: null };
    },
    // Keyed by status, so xstate types the state value as a TicketStatus; the nodes are generated
    // from the typed rule table, which is what checks them.
    states: states as Record<TicketStatus, object>,
  });
}

export type TicketMachine = ReturnType<typeof buildTicketMachine>;
