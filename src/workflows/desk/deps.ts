import type { AgentInput } from '../../model/index.js';
import type { BotPolicy, Router } from '../../routing/index.js';
import type { SlaPolicy } from '../../sla/index.js';
import type { TicketWorkflow } from '../ticket/workflow.js';
import type { DeskTemplates, ResolvedDeskOptions } from './options.js';
import type { BatchLoader, GroupCommit } from './state/batching.js';
import type { SharedState } from './state/shared.js';
import type { TicketStore } from './store.js';

/** Everything a desk operation needs: the resolved options, the store and the desk's state. */
export interface DeskDeps {
  readonly options: ResolvedDeskOptions;
  readonly store: TicketStore;
  readonly policies: readonly SlaPolicy[];
  readonly router: Router;
  /** The team now (`setAgents` replaces it). */
  agents: readonly AgentInput[];
  /** Agent ids the desk accepts in events: the roster, the bot's id and the router's. */
  known: ReadonlySet<string> | null;
  /** What every worker over the store shares (loads, the router's memory, NPS asks), read through. */
  readonly shared: SharedState;
  /** The group commit every save of the desk goes through. */
  readonly writer: GroupCommit;
  /** Batched loads. */
  readonly loader: BatchLoader;
  /** The desk's id as the owner of its claims on due tickets. */
  readonly owner: string;
  readonly templates: DeskTemplates | null;
  readonly botPolicy: BotPolicy | null;
  /** The lifecycle a stored ticket runs under, by its workflow key. */
  workflow(key: string): TicketWorkflow;
  /** Resolves once the desk may decide (after an explicit `restore`). */
  ready(): Promise<void>;
}

/** The workflow key of tickets without an SLA policy. */
export const NO_SLA = '(none)';
