import { FCR_DEFINITIONS } from '../metrics/index.js';
import { parseTemplate, templateVariables } from '../templates/index.js';
import { type DeskConfig, parseDeskConfig } from '../workflows/desk/config.js';
import { createTicketWorkflow } from '../workflows/index.js';
import { lifecycleTable } from './lifecycleTable.js';
import { toMermaid } from './toMermaid.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<(typeof DAYS)[number], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
const CLOCKS = ['firstReply', 'nextReply', 'periodicUpdate', 'resolution'] as const;
const CLOCK_NAMES: Record<(typeof CLOCKS)[number], string> = {
  firstReply: 'first reply',
  nextReply: 'next reply',
  periodicUpdate: 'periodic update',
  resolution: 'resolution',
};

/** A `Duration` as a person writes it: `1 day 4 h`, `30 min`. */
function duration(d: Readonly<Record<string, number | undefined>> | null | undefined): string {
  if (!d) return '—';
  const parts: string[] = [];
  if (d.weeks) parts.push(`${d.weeks} week${d.weeks === 1 ? '' : 's'}`);
  if (d.days) parts.push(`${d.days} day${d.days === 1 ? '' : 's'}`);
  if (d.hours) parts.push(`${d.hours} h`);
  if (d.minutes) parts.push(`${d.minutes} min`);
  if (d.seconds) parts.push(`${d.seconds} s`);
  return parts.join(' ') || '0';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function calendars(config: DeskConfig): string {
  const names = Object.keys(config.calendars);
  if (names.length === 0) return 'No business calendars: every clock counts calendar hours (24/7).';
  return names
    .map((name) => {
      const c = config.calendars[name] as DeskConfig['calendars'][string];
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

function sla(config: DeskConfig): string {
  if (config.slaPolicies.length === 0) return 'No SLA policies: tickets have no clocks.';
  return config.slaPolicies
    .map((p) => {
      const when = p.when
        ? Object.entries(p.when)
            .map(([key, values]) => `${key} is ${(values as string[]).join(' or ')}`)
            .join(' and ')
        : 'every ticket not matched by a policy above';
      const rows = CLOCKS.filter((clock) => p[clock]).map((clock) => {
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
      });
      return [
        `### ${p.name ?? p.id} (\`${p.id}\`)`,
        '',
        `Applies when ${when}.`,
        '',
        table(['Clock', ...PRIORITIES, 'Hours of', 'Paused in', 'Warn at'], rows),
      ].join('\n');
    })
    .join('\n\n');
}

function escalation(config: DeskConfig): string {
  const e = config.escalation;
  if (!e)
    return 'No escalation policy: a breached SLA clock moves the ticket up one tier; a second reopen notifies the team lead (the default).';
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
      ? 'No rules.'
      : table(
          ['Rule', 'When', 'Then'],
          e.rules.map((r, i) => [
            r.id ?? `rule ${i + 1}`,
            Object.entries(r.when)
              .map(([k, v]) =>
                k === 'on' ? String(v) : `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`,
              )
              .join(', ') + (r.segments ? ` (segments ${r.segments.join(', ')})` : ''),
            r.actions
              .map((a) =>
                Object.entries(a)
                  .map(([k, v]) => (k === 'do' ? String(v) : `${k} ${String(v)}`))
                  .join(' '),
              )
              .join('; '),
          ]),
        );
  return `${tiers}\n\n${rules}`;
}

function routing(config: DeskConfig): string {
  const filters = config.routing.filters.map((f) => (typeof f === 'string' ? f : `${f.filter}(${f.tier})`));
  const team = table(
    ['Agent', 'Tier', 'Languages', 'Skills', 'Capacity', 'Shift'],
    config.agents.map((a) => [
      `${a.name} (\`${a.id}\`)`,
      String(a.tier),
      a.languages.join(', ') || '—',
      a.skills.join(', ') || '—',
      String(a.capacity),
      a.calendarId ?? 'any time',
    ]),
  );
  return [
    `Each ticket goes through the filters ${filters.map((f) => `\`${f}\``).join(' → ') || '(none)'}, then the strategy \`${config.routing.strategy}\` picks among the agents left. A ticket that finds nobody waits and is tried again on every tick.`,
    '',
    config.agents.length > 0 ? team : 'No agents configured.',
  ].join('\n');
}

function templates(config: DeskConfig): string {
  if (config.templates.length === 0) return 'No templates in the configuration.';
  const variables = (t: DeskConfig['templates'][number]) => {
    const found = new Set<string>();
    for (const content of Object.values(t.locales)) {
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
    config.templates.map((t) => [
      `\`${t.id}\``,
      t.purpose,
      t.channels.join(', '),
      Object.entries(t.locales)
        .map(([locale, content]) => `${locale} (${content.variants.length})`)
        .join(', '),
      variables(t),
    ]),
  );
}

function selfService(config: DeskConfig): string {
  const bot = config.bot;
  const reply = config.slaPolicies.some((p) => p.botRepliesCount)
    ? `In SLA policies ${config.slaPolicies
        .filter((p) => p.botRepliesCount)
        .map((p) => `\`${p.id}\``)
        .join(', ')} a bot's reply fulfils the reply clocks; in the others a person still owes the reply.`
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

function survey(config: DeskConfig): string {
  const s = config.lifecycle.survey;
  if (!s) return 'No satisfaction surveys.';
  return [
    `- CSAT ${s.csat ? 'is' : 'is not'} asked ${duration(s.delay)} after a ticket is solved${s.skipAutoSolved ? ' (not for tickets solved automatically)' : ''}${s.skipAgentCreated ? ', not for tickets an agent or automation opened' : ''}.`,
    `- NPS: ${s.npsEvery ? `at most once per customer every ${duration(s.npsEvery)}` : 'never'}.`,
    `- Reminder: ${s.reminderAfter ? `after ${duration(s.reminderAfter)}` : 'none'}; the survey expires after ${duration(s.expireAfter)}.`,
    `- A low score (CSAT ≤ ${s.lowScore.csat}, NPS ≤ ${s.lowScore.nps}, CES ≥ ${s.lowScore.cesAtLeast}) opens a recovery task for \`${s.recoveryTo}\`.`,
  ].join('\n');
}

function lifecycle(config: DeskConfig): string {
  const l = config.lifecycle;
  return [
    `- A customer reply within ${duration(l.reopenWindow)} of the solve reopens the ticket; later, it opens a linked follow-up.`,
    `- Pending tickets are solved automatically after ${l.autoSolvePendingAfter ? duration(l.autoSolvePendingAfter) : '(never)'}; solved tickets close after ${l.autoCloseSolvedAfter ? duration(l.autoCloseSolvedAfter) : '(never)'}.`,
    `- ${l.requireAssigneeToSolve ? 'A ticket needs an assignee to be solved.' : 'A ticket can be solved without an assignee.'} ${l.assignOnReply ? 'A public reply on an unassigned ticket assigns it to the agent who replied.' : ''}`,
    `- Blocked customers' tickets: ${l.blockedCustomers === 'review_queue' ? `sent to the \`${l.reviewQueue}\` queue` : 'closed as spam'}.`,
    `- Acknowledgement: ${l.acknowledgeTemplate ? `template \`${l.acknowledgeTemplate}\`` : 'none'}; highest tier ${l.maxTier}.`,
  ].join('\n');
}

function kpis(config: DeskConfig): string {
  const fcr = FCR_DEFINITIONS[config.kpis.fcr].text;
  const business = config.kpis.businessCalendar
    ? `business hours of \`${config.kpis.businessCalendar}\``
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
      ...(config.bot
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
 * A review document of a desk's configuration, in Markdown, for people who do not read
 * TypeScript: the lifecycle diagram and its event × status table, the business calendars, the
 * SLA targets per priority and clock with their calendars and pause rules, escalation tiers with
 * authority limits and rules, the routing pipeline and team, the template catalogue, the bot's
 * self-service rules and answers, the survey policy and the KPI definitions in use. Generated from the same configuration the desk runs.
 *
 * @throws `CarekitValidationError` (from `carekit/model`) for an invalid configuration.
 * @example
 * ```ts
 * describeDesk({ name: 'Loja Azul', agents: [{ id: 'ana', name: 'Ana' }] }).split('\n')[0];
 * //=> '# Loja Azul: how customer care works'
 * ```
 */
export function describeDesk(input: unknown): string {
  const config = parseDeskConfig(input);
  const workflow = createTicketWorkflow(config.lifecycle);
  return [
    `# ${config.name}: how customer care works`,
    '',
    'Generated by carekit from the configuration the desk runs; do not edit by hand.',
    '',
    '## Ticket lifecycle',
    '',
    '```mermaid',
    toMermaid(workflow.machine),
    '```',
    '',
    lifecycle(config),
    '',
    '### What each event does in each status',
    '',
    lifecycleTable(),
    '',
    '## Business calendars',
    '',
    calendars(config),
    '',
    '## SLA targets',
    '',
    sla(config),
    '',
    '## Escalation',
    '',
    escalation(config),
    '',
    '## Routing',
    '',
    routing(config),
    '',
    '## Response templates',
    '',
    templates(config),
    '',
    '## Self-service',
    '',
    selfService(config),
    '',
    '## Satisfaction surveys',
    '',
    survey(config),
    '',
    '## KPI definitions',
    '',
    kpis(config),
    '',
  ].join('\n');
}
