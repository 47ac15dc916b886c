// Business rules' cost: replaying tickets through the lifecycle with 50 triggers and 10
// automations running (as the desk applies events), against the same replay without rules, and
// the recorded replay of the logs the rules made (rules not run again, as a desk rebuilds a
// ticket), each the median of three passes in CPU time. Target (issue 17): running the rules
// costs at most 2× the rule-free replay.
// RULES_TICKETS sets the number of tickets (default 100,000).
import { createCalendar } from '../src/calendar/index.js';
import { parseTicketEvent, type TicketEvent } from '../src/model/index.js';
import { defineRules, type RulesConfigInput } from '../src/rules/index.js';
import { createSlaPolicy } from '../src/sla/index.js';
import { createTicketWorkflow, type TicketWorkflow } from '../src/workflows/index.js';
import { syntheticTicketLogs } from './syntheticLogs.js';

const office = createCalendar({
  timeZone: 'Europe/Lisbon',
  week: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
});

const WHEN = ['customer.replied', 'agent.replied', 'ticket.assigned', 'status_changed', 'reopened'] as const;
const CHANNELS = ['email', 'chat', 'social', 'marketplace'] as const;

/**
 * 50 triggers as a shop writes them (priority, channel, status, tag and reply-count conditions;
 * tags, priorities and notices as actions) and 10 automations on pending, solved and open
 * tickets, half of them in business hours. Some fire on most tickets, most on few.
 */
export function benchRules(): RulesConfigInput {
  const triggers = Array.from({ length: 50 }, (_, i) => ({
    id: `t${i}`,
    title: `trigger ${i}`,
    when: WHEN[i % WHEN.length]!,
    if: {
      all: [
        i % 3 === 0
          ? { prop: 'priority' as const, op: 'in' as const, value: ['high', 'urgent'] }
          : { prop: 'channel' as const, op: 'is' as const, value: CHANNELS[i % 4]! },
        i % 2 === 0
          ? { prop: 'customerReplies' as const, op: 'gte' as const, value: 1 + (i % 3) }
          : { prop: 'tags' as const, op: 'excludes' as const, value: `seen${i % 5}` },
      ],
    },
    then:
      i % 10 === 9
        ? [{ type: 'set_priority' as const, priority: 'high' as const }]
        : i % 10 === 4
          ? [{ type: 'notify' as const, to: 'team_lead', message: `rule ${i}` }]
          : [{ type: 'add_tags' as const, tags: [`seen${i % 5}`] }],
  }));
  const automations = Array.from({ length: 10 }, (_, i) => ({
    id: `a${i}`,
    title: `automation ${i}`,
    when:
      i < 5
        ? {
            since: 'statusChanged' as const,
            atLeast: { hours: 4 + i },
            ...(i % 2 === 0 ? { calendar: 'office' } : {}),
          }
        : { since: 'lastCustomerMessage' as const, atLeast: { hours: 24 * (i - 4) }, calendar: 'office' },
    if:
      i < 5
        ? { prop: 'status' as const, op: 'is' as const, value: 'pending' }
        : { prop: 'status' as const, op: 'in' as const, value: ['open', 'pending'] },
    then: [{ type: 'add_tags' as const, tags: [`auto${i}`] }],
  }));
  return { triggers, automations };
}

const sla = createSlaPolicy({
  id: 'standard',
  calendar: 'office',
  firstReply: {
    targets: { low: { hours: 24 }, normal: { hours: 8 }, high: { hours: 2 }, urgent: { hours: 1 } },
  },
  resolution: { targets: { normal: { days: 3 }, high: { days: 1 } } },
});

/** CPU time of the process (user + system), in ms: other processes' time on the shared cores is not counted. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function measure(label: string, tickets: number, run: () => void): number {
  run(); // warm up
  // The median of three passes, in CPU time (the machine is shared: wall time counts the others).
  const passes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const start = cpuMs();
    run();
    passes.push(cpuMs() - start);
  }
  const ms = passes.sort((a, b) => a - b)[1]!;
  console.log(
    `${label.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms CPU  ${Math.round((tickets / ms) * 1000)
      .toLocaleString('en-US')
      .padStart(9)} tickets/s`,
  );
  return ms;
}

function compare(
  title: string,
  plain: TicketWorkflow,
  ruled: TicketWorkflow,
  logs: readonly TicketEvent[][],
) {
  console.log(`\n${title}`);
  const recorded = logs.map((log) => ruled.replay(log, { trusted: true, runRules: true }).log ?? log);
  const made = recorded.reduce((n, log, i) => n + log.length - logs[i]!.length, 0);
  console.log(`the rules made ${made.toLocaleString('en-US')} events`);
  const none = measure('replay without rules', logs.length, () => {
    for (const log of logs) plain.replay(log, { trusted: true });
  });
  const run = measure('replay running 50 triggers and 10 automations', logs.length, () => {
    for (const log of logs) ruled.replay(log, { trusted: true, runRules: true });
  });
  const stored = measure('replay of the recorded logs (rules not run)', logs.length, () => {
    for (const log of recorded) ruled.replay(log, { trusted: true });
  });
  // The floor: the same recorded logs through the workflow without rules (the rules' events
  // applied as any event, no automation bookkeeping, no trigger read).
  const floor = measure('the recorded logs without rules (the floor)', logs.length, () => {
    for (const log of recorded) plain.replay(log, { trusted: true });
  });
  console.log(
    `rules run: ${(run / none).toFixed(2)}× the rule-free replay (target ≤ 2×); recorded: ${(stored / none).toFixed(2)}×; floor: ${(floor / none).toFixed(2)}×`,
  );
}

export default async function main(): Promise<void> {
  const tickets = Number(process.env.RULES_TICKETS ?? 100_000);
  const logs = syntheticTicketLogs(tickets, 42).map((log) => log.map((e) => parseTicketEvent(e)));
  const events = logs.reduce((n, log) => n + log.length, 0);
  console.log(`${tickets.toLocaleString('en-US')} tickets, ${events.toLocaleString('en-US')} events`);
  const rules = defineRules(benchRules(), { calendars: { office } });
  const base = { autoSolvePendingAfter: null, calendars: { office } } as const;
  compare(
    'Lifecycle without SLA policy',
    createTicketWorkflow(base),
    createTicketWorkflow({ ...base, rules }),
    logs,
  );
  compare(
    'Lifecycle with an SLA policy in business hours (as a desk runs it)',
    createTicketWorkflow({ ...base, sla }),
    createTicketWorkflow({ ...base, sla, rules }),
    logs,
  );
}
