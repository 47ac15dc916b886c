import { FCR_DEFINITIONS } from '../metrics/index.js';
import { CarekitArgumentError, readBag } from '../model/arguments.js';
import { retentionRuleId } from '../model/dataProtection.js';
import {
  CarekitError,
  Priority,
  parseRetentionPolicy,
  type RetentionPolicy,
  SLA_CLOCKS,
} from '../model/index.js';
import type { EscalationActionSpec, EscalationRule, Trigger } from '../routing/index.js';
import type { SlaPolicy } from '../sla/index.js';
import { parseTemplate, templateVariables } from '../templates/index.js';
import type { DeskOptions } from '../workflows/index.js';
import { type CodePart, type DeskView, deskView, type RoutingStep } from './deskView.js';
import type { ReviewErrorCode } from './errors.js';
import { LIFECYCLE_AGENT_NOTE, lifecycleDiagram } from './lifecycleDiagram.js';
import { lifecycleTable } from './lifecycleTable.js';
import {
  CLOCK_NAMES,
  DAY_NAMES,
  DAYS,
  duration,
  durationMs,
  either,
  mermaidText,
  table,
} from './markdown.js';
import { CAREKIT_VERSION, canonicalJson, sha256 } from './stamp.js';

/** Options of {@link describeDesk}. */
export interface DescribeDeskOptions {
  /**
   * What a configuration runs beside it in code: the same `extra` that
   * {@link "carekit/workflows"!createDeskFromConfig | createDeskFromConfig} takes (a classifier, a router
   * with function filters, an escalation function...). Ignored when describing a desk.
   */
  readonly extra?: Partial<DeskOptions>;
  /** The desk's name, for a running desk (which does not know it) or to override the configuration's. */
  readonly name?: string;
  /** The date the page states. Default now. */
  readonly date?: Date | number;
}

const PRIORITIES: readonly Priority[] = [...Priority.options].reverse();
const CLOCKS = SLA_CLOCKS;

/** How the document names a piece of code: its name, marked custom code, and its summary. */
function codeName(p: CodePart): string {
  const mark = p.kind === 'custom' ? '**custom code**' : '**code this document cannot read**';
  return `\`${p.name}\` (${mark}${p.summary ? `: ${p.summary}` : ', no summary given'})`;
}

/** The same in a diagram's label: no Markdown, no summary. */
const plainCodeName = (p: CodePart) =>
  `${p.name} (${p.kind === 'custom' ? 'custom code' : 'code this document cannot read'})`;

const stepName = (s: RoutingStep, plain = false) =>
  'builtin' in s
    ? plain
      ? s.builtin
      : `\`${s.builtin}\``
    : plain
      ? plainCodeName(s.code)
      : codeName(s.code);

function customCode(view: DeskView): string {
  if (view.code.length === 0)
    return 'None: every policy below is carekit’s built-in behaviour with the settings shown.';
  return [
    'The desk runs this code of its own. This document names it and shows the summary it carries; what it does beyond that is in its source, not here.',
    '',
    table(
      ['Code', 'Runs as', 'Kind', 'Summary'],
      view.code.map((p) => [
        `\`${p.name}\``,
        p.role,
        p.kind === 'custom' ? 'custom code' : 'code this document cannot read',
        p.summary ?? 'no summary given',
      ]),
    ),
  ].join('\n');
}

function calendars(view: DeskView): string {
  const names = Object.keys(view.calendars);
  if (names.length === 0) return 'No business calendars: every clock counts calendar hours (24/7).';
  return names
    .map((name) => {
      const c = view.calendars[name] as DeskView['calendars'][string];
      if ('code' in c) return `### \`${name}\`\n\nMeasured by ${codeName(c.code)}.`;
      const rows = DAYS.map((day) => [
        DAY_NAMES[day],
        c.week[day]?.map(([from, to]) => `${from}–${to}`).join(', ') || 'closed',
      ]);
      const holidays = (c.holidays ?? []).map((h) =>
        typeof h === 'string'
          ? h
          : `${h.date}${h.hours ? ` (${h.hours.map(([f, t]) => `${f}–${t}`).join(', ')})` : ' (closed)'}${h.name ? ` ${h.name}` : ''}`,
      );
      return [
        `### ${c.name ?? name} (\`${name}\`, ${c.timeZone})`,
        '',
        table(['Day', 'Open'], rows),
        '',
        holidays.length > 0 ? `Holidays: ${holidays.join('; ')}.` : 'No holidays listed.',
      ].join('\n');
    })
    .join('\n\n');
}

interface SlaRow {
  readonly id: string;
  readonly name: string | null;
  readonly when: Readonly<Record<string, readonly string[] | undefined>> | null;
  readonly clocks: readonly (readonly string[])[];
}

function slaRows(view: DeskView): SlaRow[] {
  if (view.sla.kind === 'config') {
    return view.sla.policies.map((p) => ({
      id: p.id,
      name: p.name ?? null,
      when: p.when ?? null,
      clocks: CLOCKS.filter((clock) => p[clock]).map((clock) => {
        const c = p[clock] as NonNullable<(typeof p)[typeof clock]>;
        const defaultPause =
          clock === 'resolution' || clock === 'periodicUpdate' ? ['pending', 'on_hold'] : [];
        const pause = c.pauseIn ?? defaultPause;
        const targets = c.targets as Readonly<
          Record<string, Readonly<Record<string, number | undefined>> | undefined>
        >;
        return [
          CLOCK_NAMES[clock],
          ...PRIORITIES.map((priority) => (targets[priority] ? duration(targets[priority]) : 'no target')),
          (c.calendar === undefined ? p.calendar : c.calendar) ?? 'calendar hours',
          pause.length > 0 ? pause.join(', ') : 'never',
          `${Math.round((c.warnAt ?? p.warnAt) * 100)}%`,
        ];
      }),
    }));
  }
  return view.sla.policies.map((p: SlaPolicy) => ({
    id: p.id,
    name: p.name,
    when: p.when,
    clocks: CLOCKS.filter((clock) => p.clocks[clock]).map((clock) => {
      const c = p.clocks[clock] as NonNullable<SlaPolicy['clocks'][typeof clock]>;
      return [
        CLOCK_NAMES[clock],
        ...PRIORITIES.map((priority) => {
          const ms = c.targetsMs[priority];
          return ms === undefined ? 'no target' : durationMs(ms);
        }),
        c.calendar ?? 'calendar hours',
        c.pauseIn.length > 0 ? c.pauseIn.join(', ') : 'never',
        `${Math.round(c.warnAt * 100)}%`,
      ];
    }),
  }));
}

function sla(view: DeskView): string {
  const rows = slaRows(view);
  if (rows.length === 0) return 'No SLA policies: tickets have no clocks.';
  return rows
    .map((p) => {
      const when = p.when
        ? Object.entries(p.when)
            .map(([key, values]) => `${key} is ${(values ?? []).join(' or ')}`)
            .join(' and ')
        : 'every ticket not matched by a policy above';
      return [
        `### ${p.name ?? p.id} (\`${p.id}\`)`,
        '',
        `Applies when ${when}.`,
        '',
        table(['Clock', ...PRIORITIES, 'Hours of', 'Paused in', 'Warn at'], p.clocks),
      ].join('\n');
    })
    .join('\n\n');
}

// The signals the desk's lifecycle sends to an escalation policy (a classification carries the
// classifier's sentiment and tags and the customer's segment); a remedy over a tier's authority is
// only ever sent by a host, so those rules never fire in a desk.
const DESK_SIGNALS = new Set([
  'sla_warning',
  'sla_breach',
  'reopened',
  'category',
  'sentiment',
  'segment',
  'asks_for_manager',
]);

function triggerWords(t: Trigger): string {
  switch (t.on) {
    case 'sla_warning':
      return t.clock ? `${CLOCK_NAMES[t.clock]} SLA warning` : 'an SLA warning';
    case 'sla_breach':
      return t.clock ? `${CLOCK_NAMES[t.clock]} SLA breached` : 'an SLA clock breached';
    case 'reopened':
      return `reopened ${t.atLeast} time${t.atLeast === 1 ? '' : 's'} or more`;
    case 'sentiment':
      return `customer sounds ${t.is}`;
    case 'segment':
      return `customer is ${either(t.in)}`;
    case 'category':
      return `category is ${either(t.in)}`;
    case 'asks_for_manager':
      return 'customer asks for a manager';
    case 'remedy_over_authority':
      return 'a remedy beyond the tier’s authority';
  }
}

function actionWords(a: EscalationActionSpec): string {
  if (a.do === 'escalate')
    return a.to === 'next'
      ? 'escalate one tier up'
      : a.to === 'authority'
        ? 'escalate to the lowest tier allowed to grant the remedy'
        : `escalate to tier ${a.to}`;
  if (a.do === 'raise_priority')
    return a.to ? `raise the priority to ${a.to}` : 'raise the priority one step';
  return `notify ${a.role}`;
}

function ruleWhen(r: EscalationRule): string {
  return [
    triggerWords(r.when),
    ...(r.segments ? [`for ${either(r.segments)} customers`] : []),
    ...(r.belowTier ? [`while below tier ${r.belowTier}`] : []),
  ].join(', ');
}

interface Move {
  readonly from: number;
  readonly to: number;
  readonly because: string;
}

/** The arrows between tiers that the rules draw; `next` and numbered tiers only. */
function escalationMoves(
  view: DeskView,
  maxTier: number,
): { tiers: { tier: number; name: string }[]; moves: Move[] } {
  const e = view.escalation;
  if (e.kind === 'default') {
    const tiers = Array.from({ length: maxTier }, (_, i) => ({ tier: i + 1, name: `tier ${i + 1}` }));
    return {
      tiers,
      moves: tiers
        .slice(0, -1)
        .map((t) => ({ from: t.tier, to: t.tier + 1, because: 'an SLA clock breached' })),
    };
  }
  if (e.kind === 'code') return { tiers: [], moves: [] };
  const tiers = e.tiers.filter((t) => t.tier <= maxTier).map((t) => ({ tier: t.tier, name: t.name }));
  const moves: Move[] = [];
  for (const rule of e.rules) {
    const because =
      'data' in rule
        ? DESK_SIGNALS.has(rule.data.when.on)
          ? ruleWhen(rule.data)
          : null
        : `custom code ${rule.id}`;
    if (because === null) continue;
    const actions = 'data' in rule ? rule.data.actions : rule.actions;
    const below =
      'data' in rule ? (rule.data.belowTier ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    for (const a of actions) {
      if (a.do !== 'escalate' || a.to === 'authority') continue;
      for (const from of tiers) {
        if (from.tier >= below) continue;
        const to = a.to === 'next' ? tiers.find((t) => t.tier > from.tier)?.tier : (a.to as number);
        if (to === undefined || to <= from.tier) continue;
        moves.push({ from: from.tier, to, because });
      }
    }
  }
  return { tiers, moves };
}

function escalationDiagram(view: DeskView, maxTier: number): string | null {
  const { tiers, moves } = escalationMoves(view, maxTier);
  if (tiers.length === 0) return null;
  const lines = ['flowchart LR'];
  for (const t of tiers) lines.push(`  t${t.tier}(["${mermaidText(`${t.tier} · ${t.name}`)}"])`);
  const pairs = new Map<string, string[]>();
  for (const m of moves) {
    const key = `t${m.from} t${m.to}`;
    const list = pairs.get(key) ?? [];
    if (!list.includes(m.because)) list.push(m.because);
    pairs.set(key, list);
  }
  for (const [key, because] of pairs) {
    const [from, to] = key.split(' ');
    lines.push(`  ${from} -- "${because.map(mermaidText).join('<br>')}" --> ${to}`);
  }
  return lines.join('\n');
}

function escalation(view: DeskView, maxTier: number): string {
  const e = view.escalation;
  const diagram = escalationDiagram(view, maxTier);
  const drawn = diagram ? ['```mermaid', diagram, '```', ''] : [];
  if (e.kind === 'default')
    return [
      ...drawn,
      `No escalation policy: carekit’s default applies. A breached SLA clock moves the ticket up one tier (up to tier ${maxTier}); a second reopen notifies the team lead.`,
    ].join('\n');
  if (e.kind === 'code')
    return `Escalation is decided by ${codeName(e.part)}: no tiers or rules can be drawn from it. Tickets never go above tier ${maxTier}.`;
  const tiers = table(
    ['Tier', 'Name', 'Queue', 'Refund up to', 'Replacement up to', 'Credit up to', 'Discount up to'],
    e.tiers.map((t) => [
      String(t.tier),
      t.name,
      t.queue ?? '—',
      String(t.authority.refund),
      String(t.authority.replacement),
      String(t.authority.credit),
      String(t.authority.discount),
    ]),
  );
  const rules =
    e.rules.length === 0
      ? 'No rules: nothing moves a ticket up.'
      : table(
          ['Rule', 'When', 'Then'],
          e.rules.map((r, i) =>
            'data' in r
              ? [
                  r.data.id ?? `rule ${i + 1}`,
                  ruleWhen(r.data) +
                    (DESK_SIGNALS.has(r.data.when.on)
                      ? ''
                      : ' (the desk never sends this signal: the rule does not fire here)'),
                  r.data.actions.map(actionWords).join('; '),
                ]
              : [r.id, `decided by ${codeName(r.code)}`, r.actions.map((a) => actionWords(a)).join('; ')],
          ),
        );
  return [
    ...drawn,
    `Rules are checked when a ticket opens with a classification (its category, the customer's sentiment and segment, a request for a manager), on every later categorisation, SLA warning or breach and reopen; a ticket never goes above tier ${maxTier}.`,
    '',
    tiers,
    '',
    rules,
  ].join('\n');
}

function routingWords(view: DeskView): string {
  const r = view.routing;
  return `${r.filters.map((f) => stepName(f)).join(' → ') || '(no filters)'}, then ${stepName(r.strategy)} picks among the agents left`;
}

function routing(view: DeskView): string {
  const r = view.routing;
  const team = table(
    ['Agent', 'Tier', 'Languages', 'Skills', 'Capacity', 'Shift'],
    view.agents.map((a) => [
      `${a.name} (\`${a.id}\`)`,
      String(a.tier),
      a.languages.join(', ') || '—',
      a.skills.join(', ') || '—',
      String(a.capacity),
      a.calendarId ?? 'any time',
    ]),
  );
  const fallback = view.fallback
    ? ` After waiting ${typeof view.fallback.after === 'number' ? durationMs(view.fallback.after) : duration(view.fallback.after)}, it goes ${view.fallback.to === 'any' ? 'to any agent of its tier with room, skills and languages aside' : `to the \`${view.fallback.to.queue}\` queue`}.`
    : '';
  return [
    `Each ticket goes through the filters ${routingWords(view)}. A ticket that finds nobody waits and is tried again on every tick.${fallback}`,
    ...(r.prebuilt
      ? [
          '',
          'The desk was given a router built beforehand, which tells its steps by name only: a name carekit has is shown as carekit’s, but custom code given the same name would look the same here.',
        ]
      : []),
    '',
    view.agents.length > 0 ? team : 'No agents configured.',
  ].join('\n');
}

function templates(view: DeskView): string {
  const t = view.templates;
  if (t.kind === 'library')
    return 'The desk renders with a template library given in code; its templates are not readable from the desk, so they are not listed here.';
  if (t.kind === 'none') return 'No templates in the configuration.';
  const variables = (entry: (typeof t.entries)[number]) => {
    const found = new Set<string>();
    for (const content of Object.values(entry.locales)) {
      for (const source of [...content.variants, ...(content.subject ? [content.subject] : [])]) {
        try {
          for (const path of templateVariables(parseTemplate(source))) found.add(path);
        } catch {
          found.add('(a variant does not parse)');
        }
      }
    }
    return [...found]
      .sort()
      .map((v) => `\`${v}\``)
      .join(', ');
  };
  return table(
    ['Template', 'Purpose', 'Channels', 'Locales (variants)', 'Variables'],
    t.entries.map((entry) => [
      `\`${entry.id}\``,
      entry.purpose,
      entry.channels.join(', '),
      Object.entries(entry.locales)
        .map(([locale, content]) => `${locale} (${content.variants.length})`)
        .join(', '),
      variables(entry),
    ]),
  );
}

function botRepliesCount(view: DeskView): string[] {
  if (view.sla.kind === 'config') return view.sla.policies.filter((p) => p.botRepliesCount).map((p) => p.id);
  return view.sla.policies.filter((p) => p.botRepliesCount).map((p) => p.id);
}

function selfService(view: DeskView): string {
  const bot = view.bot;
  const counting = botRepliesCount(view);
  const reply =
    counting.length > 0
      ? `In SLA policies ${counting.map((id) => `\`${id}\``).join(', ')} a bot's reply fulfils the reply clocks; in the others a person still owes the reply.`
      : "A bot's reply never fulfils an SLA reply clock: a person still owes the reply.";
  if (!bot) return `No bot: every contact is answered by a person. ${reply}`;
  const p = bot.policy;
  const rules = [
    `- The bot (\`${p.agentId}\`) answers by itself when its best answer has confidence ≥ ${p.threshold}, at least ${p.minMatched} of the message's words and ${Math.round(p.minCoverage * 100)}% of its distinct words appear in the answer's examples, the answer allows the channel and speaks the customer's language.`,
    `- It never answers blocked customers${p.excludeSegments.length > 0 ? `, customers in ${p.excludeSegments.map((x) => `\`${x}\``).join(', ')}` : ''}, a message showing anger or asking for a person${p.channels ? `, or outside ${p.channels.join(', ')}` : ''}${p.categories ? `, or categories other than ${p.categories.join(', ')}` : ''}.`,
    `- Its answer says it is automatic${p.askTemplateId ? ` (\`${p.askTemplateId}\`)` : ''} and asks whether it solved the question; the ticket waits, pending, in the \`bot\` queue.`,
    `- A clear yes ${p.solveOnYes ? 'solves the ticket' : 'leaves it for a person to solve'}; a no, anything unclear, anger, a request for a person or a reopen hands it to a person${p.handoverTemplateId ? ` with \`${p.handoverTemplateId}\`` : ''}.`,
    `- ${reply}`,
  ];
  const answers = table(
    ['Answer', 'Template', 'Languages', 'Sent automatically on', 'Example phrasings'],
    bot.answers.map((a) => [
      `\`${a.id}\``,
      `\`${a.templateId}\``,
      a.locales.join(', '),
      a.autoChannels.join(', ') || '(suggested only)',
      String(a.examples.length),
    ]),
  );
  return [...rules, '', answers].join('\n');
}

const AGE_UNITS: Record<string, string> = {
  Y: 'year',
  M: 'month',
  W: 'week',
  D: 'day',
  H: 'hour',
  S: 'second',
};

/** An ISO 8601 duration in words: `P2Y` is 2 years, `P1Y6M` 1 year and 6 months, `PT12H` 12 hours. */
function ageWords(iso: string): string {
  const [date = '', time = ''] = iso.slice(1).split('T');
  const parts = [
    ...[...date.matchAll(/(\d+)([YMWD])/g)].map((m) => [m[1], AGE_UNITS[m[2] as string]]),
    ...[...time.matchAll(/(\d+)([HMS])/g)].map((m) => [
      m[1],
      m[2] === 'M' ? 'minute' : AGE_UNITS[m[2] as string],
    ]),
  ].map(([n, unit]) => `${n} ${unit}${n === '1' ? '' : 's'}`);
  return parts.length <= 1 ? (parts[0] ?? iso) : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The retention schedule of a configuration (a running desk does not hold one: it is the store's). */
function retentionOf(input: unknown): RetentionPolicy | null | undefined {
  if (typeof input !== 'object' || input === null || 'options' in input) return undefined;
  const policy = (input as { retention?: unknown }).retention;
  return policy === undefined ? null : parseRetentionPolicy(policy);
}

function retention(policy: RetentionPolicy | null | undefined): string {
  if (policy === undefined) {
    return 'A running desk does not hold the retention schedule (the store applies it with `store.applyRetention`); describe the configuration to see it.';
  }
  if (policy === null || policy.rules.length === 0) {
    return "No retention schedule: tickets are kept until a customer's data is erased on request (`store.eraseCustomer`).";
  }
  return [
    "Applied in this order by `store.applyRetention(policy, now)` (in batches, safe on several workers). A ticket's age is the time since its last event.",
    '',
    ...policy.rules.map((rule, i) => {
      const statuses = rule.when.status === undefined ? '' : `${[rule.when.status].flat().join(' or ')} `;
      const tag = rule.when.tag === undefined ? '' : ` tagged \`${rule.when.tag}\``;
      const what = `${statuses}tickets${tag} older than ${ageWords(rule.when.olderThan)}`;
      const done =
        rule.action === 'anonymise'
          ? 'are anonymised: names, email addresses, handles, phone numbers, message text, subjects, sent messages and survey comments are removed; statuses, times, assignees, SLA clocks and scores stay, so the KPIs do not change'
          : 'are deleted with their messages, effects and keys; they leave the KPIs';
      return `${i + 1}. **${retentionRuleId(rule, i)}**: ${what} ${done}.`;
    }),
    '',
    'Every action is recorded (who, when, which rule, which ticket) without the erased data. See docs/data-protection.md.',
  ].join('\n');
}

function survey(view: DeskView): string {
  const s = view.lifecycle.survey;
  if (!s) return 'No satisfaction surveys.';
  return [
    `- CSAT ${s.csat ? 'is' : 'is not'} asked ${duration(s.delay)} after a ticket is solved${s.skipAutoSolved ? ' (not for tickets solved automatically)' : ''}${s.skipAgentCreated ? ', not for tickets an agent or automation opened' : ''}.`,
    `- NPS: ${s.npsEvery ? `at most once per customer every ${duration(s.npsEvery)}` : 'never'}.`,
    `- Reminder: ${s.reminderAfter ? `after ${duration(s.reminderAfter)}` : 'none'}; the survey expires after ${duration(s.expireAfter)}.`,
    `- A low score (CSAT ≤ ${s.lowScore.csat}, NPS ≤ ${s.lowScore.nps}, CES ≥ ${s.lowScore.cesAtLeast}) opens a recovery task for \`${s.recoveryTo}\`.`,
  ].join('\n');
}

function lifecycle(view: DeskView): string {
  const l = view.lifecycle;
  return [
    `- A customer reply within ${duration(l.reopenWindow)} of the solve reopens the ticket; later, it opens a linked follow-up.`,
    `- Pending tickets are solved automatically after ${l.autoSolvePendingAfter ? duration(l.autoSolvePendingAfter) : '(never)'}; solved tickets close after ${l.autoCloseSolvedAfter ? duration(l.autoCloseSolvedAfter) : '(never)'}.`,
    `- ${l.requireAssigneeToSolve ? 'A ticket needs an assignee to be solved.' : 'A ticket can be solved without an assignee.'} ${l.assignOnReply ? 'A public reply on an unassigned ticket assigns it to the agent who replied.' : ''}`.trimEnd(),
    `- Blocked customers' tickets: ${l.blockedCustomers === 'review_queue' ? `sent to the \`${l.reviewQueue}\` queue` : 'closed as spam'}.`,
    `- Acknowledgement: ${l.acknowledgeTemplate ? `template \`${l.acknowledgeTemplate}\`` : 'none'}; highest tier ${l.maxTier}.`,
  ].join('\n');
}

function classifierWords(view: DeskView, plain = false): string {
  const c = view.classifier;
  if (c.kind === 'none') return 'not classified (the desk has no classifier)';
  if (c.kind === 'code') return `classified by ${plain ? plainCodeName(c.part) : codeName(c.part)}`;
  return c.isDefault
    ? 'classified by carekit’s default English rules'
    : `classified by the configuration’s ${c.count} rule${c.count === 1 ? '' : 's'}`;
}

function slaWords(view: DeskView): string {
  const rows = slaRows(view);
  if (rows.length === 0) return 'no SLA policy, so no clocks';
  return rows.length === 1
    ? `SLA policy ${rows[0]?.id}`
    : `SLA policy ${either(rows.map((r) => r.id))}, the first that matches`;
}

/** The path of a new contact through the desk, in the order the desk takes it. */
function contactDiagram(view: DeskView): string {
  const l = view.lifecycle;
  const steps = view.routing.filters.map((f) => mermaidText(stepName(f, true))).join(' → ');
  const lines = [
    'flowchart TB',
    '  contact(["a customer writes"]) --> known{"answers a ticket the desk knows?"}',
    `  known -- "yes" --> thread["added to that ticket<br>a solved one reopens within ${mermaidText(duration(l.reopenWindow))}"]`,
    `  known -- "no" --> classify["${mermaidText(classifierWords(view, true))}${view.segments ? '<br>customer segment assigned' : ''}"]`,
    `  classify --> sla["${mermaidText(slaWords(view))}"]`,
    '  sla --> blocked{"blocked customer?"}',
    `  blocked -- "yes" --> spam["${l.blockedCustomers === 'review_queue' ? `${mermaidText(l.reviewQueue)} queue, for a person to check` : 'closed as spam'}"]`,
  ];
  if (view.bot) {
    lines.push(
      '  blocked -- "no" --> bot{"can the bot answer?"}',
      '  bot -- "yes" --> botAnswer["the bot answers and asks if it helped"]',
      '  botAnswer -- "yes" --> solved(["solved"])',
      '  bot -- "no" --> people',
      '  botAnswer -- "no or unclear" --> people',
    );
  } else {
    lines.push('  blocked -- "no" --> people');
  }
  lines.push(
    '  people(["a person will answer"]) --> route',
    `  route["routing<br>${steps || 'no filters'}<br>then ${mermaidText(stepName(view.routing.strategy, true))}"]`,
    '  route -- "someone fits" --> agent(["assigned to an agent"])',
    '  route -- "nobody fits" --> wait["waits, tried again on every tick"]',
  );
  if (l.acknowledgeTemplate)
    lines.push(`  agent --> ack["acknowledged with ${mermaidText(l.acknowledgeTemplate)}"]`);
  return lines.join('\n');
}

function kpis(view: DeskView): string {
  const fcr = FCR_DEFINITIONS[view.kpis.fcr].text;
  const business = view.kpis.businessCalendar
    ? `business hours of \`${view.kpis.businessCalendar}\``
    : 'calendar hours';
  return table(
    ['KPI', 'Definition'],
    [
      ['CSAT', '% of answers scoring 4 or 5 on 1–5'],
      ['NPS', '% promoters (9–10) − % detractors (0–6), −100..100, with a 95% margin of error'],
      ['CES', 'mean of 1–7 answers; agreeing means 5 or more'],
      ['First reply time', `creation to the first public reply by a person, in ${business}`],
      [
        'Next reply time',
        `each customer message after the first reply to the next public reply by a person, in ${business}`,
      ],
      ['Resolution time', `creation to the final solve, in ${business}`],
      ['FCR', fcr],
      ['Reopen rate', 'solved tickets reopened at least once'],
      ['Escalation rate', 'tickets moved to a higher tier at least once'],
      ['Callback rate', 'customer tickets followed by another about the same thing within 7 days'],
      [
        'SLA compliance',
        'per clock: targets met of clocks that finished or breached; a merged ticket counts only a breach',
      ],
      ...(view.bot
        ? [
            [
              'Deflection rate',
              'customer tickets solved by self-service: a bot answer, no person, no reopen',
            ],
            ['Bot handover rate', 'tickets a bot answered that a person then took over'],
            [
              'CSAT by bot and human',
              'CSAT of tickets solved by self-service, and of those a person answered',
            ],
          ]
        : []),
    ],
  );
}

/**
 * The hash a review states: SHA-256 of what the desk runs, the data in a canonical order and
 * the source text of its code, so changed settings or changed code give another hash.
 *
 * @example
 * ```ts
 * deskHash({ name: 'Loja Azul' }).length;
 * //=> 64
 * ```
 */
export function deskHash(input: unknown, options: Pick<DescribeDeskOptions, 'extra'> = {}): string {
  const bag = readBag(options, 'deskHash', ['options'], 'an options object', ['extra']);
  return readable('deskHash', () =>
    sha256(canonicalJson(deskView(input, bag.extra as DescribeDeskOptions['extra'], undefined).fingerprint)),
  );
}

/** Runs a read of a caller's desk or configuration; a getter or Proxy that throws is `unreadable_input`. */
function readable<T>(fn: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof CarekitError) throw cause;
    throw new CarekitArgumentError<ReviewErrorCode>(
      'unreadable_input',
      ['input'],
      `${fn}: the desk or configuration could not be read (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
}

/**
 * A review document of a desk, in Markdown, for people who do not read TypeScript: the custom
 * code the desk runs (named, marked and summarised), the path of a new contact through the desk,
 * the lifecycle diagram (statuses and the events that move between them, in words) and its
 * event × status table, the business calendars, the SLA targets per priority and clock, the
 * escalation path through the tiers with its rules, the routing pipeline and team, the template
 * catalogue, the bot's self-service rules, the survey policy and the KPI definitions. Every
 * page states carekit's version, the hash of what the desk runs ({@link deskHash}) and the date.
 *
 * It describes what runs, from either source:
 * - a running desk (`createDesk`, `createDeskFromConfig`): read from `desk.options`. Code inside
 *   objects the desk holds is named but not read (a classifier object may be carekit's rule
 *   classifier or your own), so pass the configuration and `extra` instead when you have them;
 * - a configuration (`DeskConfig`), with `options.extra` for the parts given in code, exactly
 *   the pair `createDeskFromConfig(config, extra)` takes.
 *
 * Custom code is named by its `name` (a function's or the object's) and carries its summary in a
 * `summary` property ({@link withSummary}), since TSDoc does not exist at run time.
 *
 * @throws `CarekitValidationError` (from `carekit/model`) for an invalid configuration.
 * @example
 * ```ts
 * describeDesk({ name: 'Loja Azul', agents: [{ id: 'ana', name: 'Ana' }] }).split('\n')[0];
 * //=> '# Loja Azul: how customer care works'
 * describeDesk(desk, { name: 'Loja Azul' }); // the running desk, custom code named
 * describeDesk(config, { extra: { router: { filters: [vipFirst], strategy: 'leastLoaded' } } });
 * ```
 */
export function describeDesk(input: unknown, optionsInput: DescribeDeskOptions = {}): string {
  const options = readBag(optionsInput, 'describeDesk', ['options'], 'an options object', [
    'extra',
    'name',
    'date',
  ]) as DescribeDeskOptions;
  const view = readable('describeDesk', () => deskView(input, options.extra, options.name));
  const hash = sha256(canonicalJson(view.fingerprint));
  const date = new Date(options.date ?? Date.now()).toISOString().slice(0, 10);
  const maxTier = view.lifecycle.maxTier;
  const escalationPart = escalation(view, maxTier);
  const retentionPolicy = readable('describeDesk', () => retentionOf(input));
  return [
    `# ${view.name}: how customer care works`,
    '',
    `carekit ${CAREKIT_VERSION} · desk hash \`${hash.slice(0, 16)}\` · ${date}`,
    '',
    view.source,
    '',
    '## Custom code',
    '',
    customCode(view),
    '',
    '## A new contact, step by step',
    '',
    '```mermaid',
    contactDiagram(view),
    '```',
    '',
    `A new contact is ${classifierWords(view)}; then ${slaWords(view).replace(/^SLA/, 'the SLA')} starts its clocks${view.bot ? '; the bot answers what it can' : ''}; a person's ticket is routed through ${routingWords(view)}.`,
    '',
    '## Ticket lifecycle',
    '',
    '```mermaid',
    lifecycleDiagram(view.lifecycle),
    '```',
    '',
    LIFECYCLE_AGENT_NOTE,
    '',
    lifecycle(view),
    '',
    '### What each event does in each status',
    '',
    lifecycleTable(),
    '',
    '## Business calendars',
    '',
    calendars(view),
    '',
    '## SLA targets',
    '',
    sla(view),
    '',
    '## Escalation',
    '',
    escalationPart,
    '',
    '## Routing',
    '',
    routing(view),
    '',
    '## Response templates',
    '',
    templates(view),
    '',
    '## Self-service',
    '',
    selfService(view),
    '',
    '## Satisfaction surveys',
    '',
    survey(view),
    '',
    '## Data retention',
    '',
    retention(retentionPolicy),
    '',
    '## KPI definitions',
    '',
    kpis(view),
    '',
  ].join('\n');
}
