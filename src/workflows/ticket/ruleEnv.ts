import type { TicketFields, TicketStatuses } from '../../model/index.js';
import type { RuleSet } from '../../rules/index.js';
import type { EscalateFn, ResolvedConfig } from './options.js';
import type { SlaAdapter } from './slaAdapter.js';
import type { ResolvedSurveyPolicy } from './survey.js';

/** What the rules need besides the ticket: the resolved configuration and the policies. */
export interface RuleEnv {
  readonly config: ResolvedConfig;
  readonly escalate: EscalateFn;
  readonly sla: SlaAdapter | null;
  readonly survey: ResolvedSurveyPolicy | null;
  /** The desk's ticket fields, or null for none. */
  readonly fields: TicketFields | null;
  /** The desk's custom statuses, or null for none. */
  readonly statuses: TicketStatuses | null;
  /** The business rules (triggers, automations, macros), or null for none. */
  readonly rules: RuleSet | null;
}
