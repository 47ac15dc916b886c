import {
  type KpiReport,
  type KpiReportOptions,
  kpiReport,
  type TicketFacts,
  ticketFacts,
} from '../../../metrics/index.js';
import { lifecycleFactsOptions } from '../../ticket/options.js';
import type { DeskDeps } from '../deps.js';

/**
 * The facts of every ticket opened in the range, each read with the rules its lifecycle applied;
 * the tickets and their logs come from one ordered read of the store (`stream`), page by page.
 */
export async function facts(
  deps: DeskDeps,
  range: { from?: number; to?: number } = {},
): Promise<TicketFacts[]> {
  const found: TicketFacts[] = [];
  const optionsByKey = new Map<string, Parameters<typeof ticketFacts>[1]>();
  for await (const { ticket, events } of deps.store.stream(range)) {
    let options = optionsByKey.get(ticket.workflowKey);
    if (options === undefined) {
      const policy = deps.policies.find((p) => p.id === ticket.workflowKey);
      options = {
        // Read the log with the rules its lifecycle applied (reopen window, auto-solve, auto-close).
        ...lifecycleFactsOptions(deps.workflow(ticket.workflowKey).config),
        ...(policy ? { sla: policy } : {}),
        ...(deps.options.calendars ? { calendars: deps.options.calendars } : {}),
        ...(deps.options.statuses ? { statuses: deps.options.statuses } : {}),
        ...(deps.options.metricsCalendar ? { calendar: deps.options.metricsCalendar } : {}),
      };
      optionsByKey.set(ticket.workflowKey, options);
    }
    found.push(ticketFacts(events, options));
  }
  return found;
}

/** The KPI report over the tickets opened in the range. */
export async function metrics(
  deps: DeskDeps,
  range: { from?: number; to?: number } = {},
  options: KpiReportOptions = {},
): Promise<KpiReport> {
  return kpiReport(await facts(deps, range), {
    business: deps.options.metricsCalendar !== undefined,
    ...options,
  });
}
