import { type Calendar, createCalendar } from '../calendar/index.js';
import { CarekitError, defineFields, defineStatuses, type TicketEventOf } from '../model/index.js';
import { createSlaPolicy, type SlaPolicy, selectSlaPolicy } from '../sla/index.js';
import {
  createTicketWorkflow,
  parseDeskConfig,
  type ResolvedDeskConfig,
  type TicketWorkflow,
} from '../workflows/index.js';
import type { ImportErrorCode } from './errors.js';

/** The workflow key a desk gives tickets without an SLA policy (what `createDesk` stores). */
export const NO_SLA_KEY = '(none)';

/**
 * The lifecycle an import replays history under: the desk's SLA policies, calendars, fields and
 * custom statuses, with every effect-making part of the desk turned off (see {@link createImportLifecycle}).
 */
export interface ImportLifecycle {
  /** The desk's SLA policy for a new ticket (as `createDesk` selects it) and its workflow. */
  select(opened: TicketEventOf<'ticket.opened'>): { readonly key: string; readonly workflow: TicketWorkflow };
  /** The workflow of a stored ticket's key. */
  workflow(key: string): TicketWorkflow;
  /** The desk's SLA policies. */
  readonly policies: readonly SlaPolicy[];
  /** The desk's calendars by name. */
  readonly calendars: Readonly<Record<string, Calendar>>;
  /** The calendar business minutes are counted in (`kpis.businessCalendar`), or null. */
  readonly businessCalendar: Calendar | null;
  readonly config: ResolvedDeskConfig;
}

/**
 * Builds the lifecycle an import applies history with, from a desk configuration: the desk's SLA
 * policies (selected per ticket as the desk selects them, so a desk picks the tickets up where
 * the import left them), calendars, fields and custom statuses; and nothing that would act on its
 * own: no acknowledgement, no survey, no business rules, no escalation policy (tiers come from the
 * export's groups), no auto-solve or auto-close (the export's own closes are in the log), no
 * assignment on reply, solving without an assignee allowed, and a reopen window of ten years (the
 * source decided what reopened).
 *
 * @example
 * ```ts
 * const lifecycle = createImportLifecycle({ calendars: { office: officeHours }, kpis: { businessCalendar: 'office' } });
 * lifecycle.select(opened).key;
 * //=> '(none)'  (the desk has no SLA policy)
 * ```
 */
export function createImportLifecycle(input: unknown = {}): ImportLifecycle {
  const config = parseDeskConfig(input);
  const calendars = Object.fromEntries(
    Object.entries(config.calendars).map(([name, c]) => [name, createCalendar(c)]),
  );
  const policies = config.slaPolicies.map((p) => createSlaPolicy(p));
  const fields = config.fields.length > 0 ? defineFields(config.fields) : null;
  const statuses = config.statuses.length > 0 ? defineStatuses(config.statuses) : null;
  const workflows = new Map<string, TicketWorkflow>();
  const workflow = (key: string): TicketWorkflow => {
    let found = workflows.get(key);
    if (found === undefined) {
      const policy = key === NO_SLA_KEY ? null : (policies.find((p) => p.id === key) ?? null);
      if (key !== NO_SLA_KEY && policy === null) {
        throw new CarekitError<ImportErrorCode>(
          'unknown_workflow',
          `a stored ticket runs under SLA policy \`${key}\`, which the desk configuration does not have`,
        );
      }
      found = createTicketWorkflow({
        ...config.lifecycle,
        reopenWindow: { days: 3650 },
        autoSolvePendingAfter: null,
        autoCloseSolvedAfter: null,
        requireAssigneeToSolve: false,
        assignOnReply: false,
        solveWithOpenChildren: true,
        acknowledgeTemplate: null,
        survey: null,
        escalation: () => [],
        sla: policy,
        calendars,
        ...(fields ? { fields } : {}),
        ...(statuses ? { statuses } : {}),
      });
      workflows.set(key, found);
    }
    return found;
  };
  const businessName = config.kpis.businessCalendar;
  return {
    select(opened) {
      const policy = selectSlaPolicy(policies, {
        segment: opened.customer.segment ?? null,
        channel: opened.channel,
        category: opened.category ?? null,
        priority: opened.priority ?? 'normal',
      });
      const key = policy?.id ?? NO_SLA_KEY;
      return { key, workflow: workflow(key) };
    },
    workflow,
    policies,
    calendars,
    businessCalendar: businessName !== undefined ? (calendars[businessName] ?? null) : null,
    config,
  };
}
