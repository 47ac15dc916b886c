import type { Calendar, ResolvedCalendarConfig } from '../calendar/index.js';
import { Agent, type AgentInput } from '../model/index.js';
import {
  type AnswerEntry,
  type BotPolicy,
  createBotPolicy,
  createEscalationPolicy,
  type EscalationPolicy,
  type EscalationRule,
  FilterName,
  type FilterSpec,
  type Router,
  type RoutingPolicy,
  RoutingPolicyConfig,
  type RoutingStrategy,
  StrategyName,
} from '../routing/index.js';
import type { SlaPolicy } from '../sla/index.js';
import {
  type Desk,
  type DeskOptions,
  parseDeskConfig,
  type ResolvedDeskConfig,
  type ResolvedTicketWorkflowConfig,
  TicketWorkflowConfig,
} from '../workflows/index.js';

/** A piece of code the desk runs, as the review names it. */
export interface CodePart {
  /** Where the desk runs it: `routing filter`, `classifier`... */
  readonly role: string;
  readonly name: string;
  /** Its summary (a `summary` property, see {@link withSummary}), or null when none was given. */
  readonly summary: string | null;
  /**
   * `custom`: code the desk was given, not carekit's. `unreadable`: an object whose inside the
   * desk does not show (a classifier object may be carekit's rule classifier or your own).
   */
  readonly kind: 'custom' | 'unreadable';
}

/** A routing step: a built-in by name, or code. */
export type RoutingStep = { readonly builtin: string } | { readonly code: CodePart };

/** What the review documents, from a configuration, a configuration with code, or a running desk. */
export interface DeskView {
  readonly name: string;
  /** How the document was made, in a sentence. */
  readonly source: string;
  readonly calendars: Readonly<Record<string, ResolvedCalendarConfig | { readonly code: CodePart }>>;
  readonly sla:
    | { readonly kind: 'config'; readonly policies: ResolvedDeskConfig['slaPolicies'] }
    | { readonly kind: 'compiled'; readonly policies: readonly SlaPolicy[] };
  readonly classifier:
    | { readonly kind: 'rules'; readonly count: number; readonly isDefault: boolean }
    | { readonly kind: 'code'; readonly part: CodePart }
    | { readonly kind: 'none' };
  readonly segments: boolean;
  readonly agents: readonly Agent[];
  readonly routing: {
    readonly filters: readonly RoutingStep[];
    readonly strategy: RoutingStep;
    /** A router object built beforehand: its steps are known by name only. */
    readonly prebuilt: boolean;
  };
  readonly fallback: DeskOptions['routingFallback'] | null;
  readonly escalation:
    | { readonly kind: 'default' }
    | {
        readonly kind: 'policy';
        readonly tiers: EscalationPolicy['tiers'];
        readonly rules: readonly (
          | { readonly data: EscalationRule }
          | {
              readonly id: string;
              readonly code: CodePart;
              readonly actions: readonly EscalationRule['actions'][number][];
            }
        )[];
      }
    | { readonly kind: 'code'; readonly part: CodePart };
  readonly lifecycle: ResolvedTicketWorkflowConfig;
  readonly templates:
    | { readonly kind: 'config'; readonly entries: ResolvedDeskConfig['templates'] }
    | { readonly kind: 'library' }
    | { readonly kind: 'none' };
  readonly bot: { readonly answers: readonly AnswerEntry[]; readonly policy: BotPolicy } | null;
  readonly kpis: {
    readonly fcr: ResolvedDeskConfig['kpis']['fcr'];
    readonly businessCalendar: string | null;
  };
  /** Every piece of code the desk runs, in the order the document names them. */
  readonly code: readonly CodePart[];
  /** What the hash is computed from: the data, and the source text of the code. */
  readonly fingerprint: unknown;
}

/**
 * The summary of a piece of code: its `summary` property, or that of its function
 * (`test`, `key`, `classify`), or null. TSDoc is gone at run time, so the summary travels with
 * the value.
 */
export function summaryOf(value: unknown): string | null {
  const read = (v: unknown) => {
    if ((typeof v === 'object' || typeof v === 'function') && v !== null) {
      const s = (v as { summary?: unknown }).summary;
      if (typeof s === 'string' && s.trim() !== '') return s.trim();
    }
    return null;
  };
  if (read(value) !== null) return read(value);
  if (typeof value === 'object' && value !== null) {
    for (const key of ['test', 'key', 'classify']) {
      const found = read((value as Record<string, unknown>)[key]);
      if (found !== null) return found;
    }
  }
  return null;
}

const nameOf = (value: unknown, fallback: string): string => {
  const n = (value as { name?: unknown } | null)?.name;
  return typeof n === 'string' && n !== '' ? n : fallback;
};

const part = (
  role: string,
  value: unknown,
  fallback: string,
  kind: CodePart['kind'] = 'custom',
): CodePart => ({
  role,
  name: nameOf(value, fallback),
  summary: summaryOf(value),
  kind,
});

const isDesk = (value: unknown): value is Desk =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Desk).receive === 'function' &&
  typeof (value as Desk).options === 'object';

const isRouter = (value: unknown): value is Router =>
  typeof value === 'object' && value !== null && typeof (value as Router).route === 'function';

const BUILTIN_FILTERS = new Set<string>(FilterName.options);
const BUILTIN_STRATEGIES = new Set<string>(StrategyName.options);

function routingView(router: DeskOptions['router'] | undefined, code: CodePart[]): DeskView['routing'] {
  if (isRouter(router)) {
    // A router object tells its steps' names only: a name carekit does not have is custom code.
    const step = (name: string, role: string, builtins: Set<string>): RoutingStep =>
      builtins.has(name.replace(/\(\d+\)$/, ''))
        ? { builtin: name }
        : { code: { role, name, summary: null, kind: 'custom' } };
    const filters = router.filters.map((f) => step(f, 'routing filter', BUILTIN_FILTERS));
    const strategy = step(router.strategy, 'routing strategy', BUILTIN_STRATEGIES);
    for (const s of [...filters, strategy]) if ('code' in s) code.push(s.code);
    return { filters, strategy, prebuilt: true };
  }
  const policy = (router ?? {}) as RoutingPolicy;
  const defaults = RoutingPolicyConfig.parse({});
  const filters = (policy.filters ?? defaults.filters).map((f: FilterSpec): RoutingStep => {
    if (typeof f === 'string') return { builtin: f };
    if ('test' in f) {
      const p = part('routing filter', f, 'unnamed filter');
      code.push(p);
      return { code: p };
    }
    return { builtin: f.tier > 1 ? `tierAtLeast(${f.tier})` : 'tierAtLeast' };
  });
  let strategy: RoutingStep;
  if (policy.strategy === undefined || typeof policy.strategy === 'string') {
    strategy = { builtin: policy.strategy ?? defaults.strategy };
  } else {
    const p = part('routing strategy', policy.strategy as RoutingStrategy, 'unnamed strategy');
    code.push(p);
    strategy = { code: p };
  }
  return { filters, strategy, prebuilt: false };
}

function escalationView(
  escalation: DeskOptions['escalation'] | undefined,
  code: CodePart[],
): DeskView['escalation'] {
  if (escalation === undefined) return { kind: 'default' };
  if (typeof escalation === 'function') {
    const p = part('escalation', escalation, 'unnamed escalation function');
    code.push(p);
    return { kind: 'code', part: p };
  }
  return {
    kind: 'policy',
    tiers: escalation.tiers,
    rules: escalation.rules.map((rule, i) => {
      if ('test' in rule) {
        const p: CodePart = {
          role: 'escalation rule',
          name: rule.id || `rule ${i + 1}`,
          summary: summaryOf(rule),
          kind: 'custom',
        };
        code.push(p);
        return { id: p.name, code: p, actions: rule.actions };
      }
      return { data: rule };
    }),
  };
}

function otherCode(options: Partial<DeskOptions>, code: CodePart[]): void {
  if (options.templateContext)
    code.push(part('template variables', options.templateContext, 'templateContext'));
  if (options.ticketId) code.push(part('ticket ids', options.ticketId, 'ticketId'));
}

function calendarsView(
  calendars: NonNullable<DeskOptions['calendars']>,
  code: CodePart[],
): DeskView['calendars'] {
  return Object.fromEntries(
    Object.entries(calendars).map(([name, c]) => {
      if ('config' in c && typeof c.config === 'object') return [name, (c as Calendar).config];
      const p = part('clock measure', c, name);
      code.push(p);
      return [name, { code: p }];
    }),
  );
}

const FROM_CODE = (what: string) => `${what} (given in code)`;

/** What a configuration and its code parts run: the same pair {@link createDeskFromConfig} takes. */
function fromConfig(input: unknown, extra: Partial<DeskOptions>): DeskView {
  const config = parseDeskConfig(input);
  const code: CodePart[] = [];
  let classifier: DeskView['classifier'];
  if (extra.classifier) {
    const p = part('classifier', extra.classifier, 'unnamed classifier');
    code.push(p);
    classifier = { kind: 'code', part: p };
  } else {
    classifier = {
      kind: 'rules',
      count: config.classification?.length ?? 0,
      isDefault: config.classification === undefined,
    };
  }
  const routing = routingView(extra.router ?? config.routing, code);
  const escalation = escalationView(
    extra.escalation ?? (config.escalation ? createEscalationPolicy(config.escalation) : undefined),
    code,
  );
  otherCode(extra, code);
  const lifecycle = extra.lifecycle ? TicketWorkflowConfig.parse(extra.lifecycle) : config.lifecycle;
  const calendars = extra.calendars ? calendarsView(extra.calendars, code) : config.calendars;
  const bot = extra.bot
    ? { answers: extra.bot.book.entries, policy: createBotPolicy(extra.bot.policy as never) }
    : config.bot
      ? { answers: config.bot.answers, policy: config.bot.policy }
      : null;
  const agents = extra.agents ? extra.agents.map((a: AgentInput) => Agent.parse(a)) : config.agents;
  const view: Omit<DeskView, 'fingerprint'> = {
    name: config.name,
    source:
      code.length > 0 || Object.keys(extra).length > 0
        ? 'Generated by carekit from the configuration and the code the desk runs beside it; do not edit by hand.'
        : 'Generated by carekit from the configuration the desk runs; do not edit by hand.',
    calendars,
    sla: extra.slaPolicies
      ? { kind: 'compiled', policies: extra.slaPolicies }
      : { kind: 'config', policies: config.slaPolicies },
    classifier,
    segments: extra.segments !== undefined || config.segments !== undefined,
    agents,
    routing,
    fallback: extra.routingFallback ?? null,
    escalation,
    lifecycle,
    templates: extra.templates
      ? { kind: 'library' }
      : config.templates.length > 0
        ? { kind: 'config', entries: config.templates }
        : { kind: 'none' },
    bot,
    kpis: {
      fcr: config.kpis.fcr,
      businessCalendar: extra.metricsCalendar
        ? FROM_CODE('a calendar')
        : (config.kpis.businessCalendar ?? null),
    },
    code,
  };
  return { ...view, fingerprint: { config, code: codeSources(extra) } };
}

/** The running desk: what `desk.options` holds. */
function fromDesk(desk: Desk, name: string | undefined): DeskView {
  const o = desk.options;
  const code: CodePart[] = [];
  const classifier: DeskView['classifier'] = o.classifier
    ? {
        kind: 'code',
        part: part(
          'classifier',
          o.classifier,
          'unnamed classifier',
          summaryOf(o.classifier) === null ? 'unreadable' : 'custom',
        ),
      }
    : { kind: 'none' };
  if (classifier.kind === 'code') code.push(classifier.part);
  const routing = routingView(o.router, code);
  const escalation = escalationView(o.escalation, code);
  otherCode(o, code);
  const view: Omit<DeskView, 'fingerprint'> = {
    name: name ?? 'Customer care',
    source: 'Generated by carekit from the running desk (`desk.options`); do not edit by hand.',
    calendars: calendarsView(o.calendars ?? {}, code),
    sla: { kind: 'compiled', policies: o.slaPolicies ?? [] },
    classifier,
    segments: o.segments !== undefined,
    agents: o.agents.map((a) => Agent.parse(a)),
    routing,
    fallback: o.routingFallback ?? null,
    escalation,
    lifecycle: TicketWorkflowConfig.parse(o.lifecycle ?? {}),
    templates: o.templates ? { kind: 'library' } : { kind: 'none' },
    bot: o.bot ? { answers: o.bot.book.entries, policy: createBotPolicy(o.bot.policy as never) } : null,
    kpis: { fcr: 'zendeskOneTouch', businessCalendar: o.metricsCalendar ? FROM_CODE('a calendar') : null },
    code,
  };
  const { store: _store, clock: _clock, ...rest } = o;
  return { ...view, fingerprint: { options: rest, name: view.name } };
}

function codeSources(extra: Partial<DeskOptions>): unknown {
  const { store: _store, clock: _clock, ...rest } = extra;
  return rest;
}

/** Reads what a review describes from a desk or a configuration (with its code parts). */
export function deskView(
  input: unknown,
  extra: Partial<DeskOptions> | undefined,
  name: string | undefined,
): DeskView {
  if (isDesk(input)) return fromDesk(input, name);
  const view = fromConfig(input, extra ?? {});
  return name === undefined ? view : { ...view, name };
}
