import {
  type KpiReport,
  type KpiReportOptions,
  kpiReport,
  type TicketFacts,
  ticketFacts,
} from '../../../metrics/index.js';
import { lifecycleFactsOptions } from '../../ticket/options.js';
import type { DeskDeps } from '../deps.js';

/** The facts of every ticket opened in the range, each read with the rules its lifecycle applied. */
export async function facts(
  deps: DeskDeps,
  range: { from?: number; to?: number } = {},
): Promise<TicketFacts[]> {
  const found: TicketFacts[] = [];
  for await (const ticketId of deps.store.ticketIds()) {
    const stored = await deps.store.load(ticketId);
    if (!stored) continue;
    const openedAt = stored.snapshot.context.openedAt;
    if (
      (range.from !== undefined && openedAt < range.from) ||
      (range.to !== undefined && openedAt >= range.to)
    )
      continue;
    const policy = deps.policies.find((p) => p.id === stored.workflowKey);
    found.push(
      ticketFacts(await deps.store.ticketEvents(ticketId), {
        // Read the log with the rules its lifecycle applied (reopen window, auto-solve, auto-close).
        ...lifecycleFactsOptions(deps.workflow(stored.workflowKey).config),
        ...(policy ? { sla: policy } : {}),
        ...(deps.options.calendars ? { calendars: deps.options.calendars } : {}),
        ...(deps.options.statuses ? { statuses: deps.options.statuses } : {}),
        ...(deps.options.metricsCalendar ? { calendar: deps.options.metricsCalendar } : {}),
      }),
    );
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
