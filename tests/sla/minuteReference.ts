// A slow, obviously-correct reference of the SLA rules: it walks the timeline minute by
// minute and adds one minute to a clock for every open minute it counts. It knows nothing of
// the engine's cached due times. Instants and targets must be whole minutes (and warnings too).
import type { Priority, TicketEvent, TicketStatus } from '../../src/model/index.js';
import { nextTicketStatus, SLA_CLOCKS, type SlaClockName, type SlaPolicy } from '../../src/sla/index.js';

export const MINUTE = 60_000;

export interface ReferenceClock {
  owed: boolean;
  elapsedMs: number;
  targetMs: number | null;
  startedAt: number | null;
  warnedAt: number | null;
  breachedAt: number | null;
  fulfilledAt: number | null;
  cycles: number;
  breaches: number;
}

export interface ReferenceResult {
  status: TicketStatus;
  clocks: Record<SlaClockName, ReferenceClock>;
}

const LIVE = ['new', 'open', 'pending', 'on_hold'];

export function minuteReference(
  policy: SlaPolicy,
  events: readonly TicketEvent[],
  now: number,
  isOpen: (calendar: string | null, minute: number) => boolean,
): ReferenceResult {
  const [first, ...rest] = events;
  if (first?.type !== 'ticket.opened') throw new Error('timeline must start with ticket.opened');
  let status: TicketStatus = 'new';
  let priority: Priority = first.priority ?? 'normal';
  let replied = first.origin !== undefined && first.origin !== 'customer';
  const clocks = {} as Record<SlaClockName, ReferenceClock>;
  for (const name of SLA_CLOCKS) {
    clocks[name] = {
      owed: false,
      elapsedMs: 0,
      targetMs: null,
      startedAt: null,
      warnedAt: null,
      breachedAt: null,
      fulfilledAt: null,
      cycles: 0,
      breaches: 0,
    };
  }
  const check = (name: SlaClockName, at: number) => {
    const clock = clocks[name];
    const rule = policy.clocks[name];
    if (!clock.owed || clock.targetMs === null || rule === null) return;
    if (clock.warnedAt === null && clock.elapsedMs >= Math.round(clock.targetMs * rule.warnAt))
      clock.warnedAt = at;
    if (clock.breachedAt === null && clock.elapsedMs >= clock.targetMs) {
      clock.breachedAt = at;
      clock.breaches++;
    }
  };
  const start = (name: SlaClockName, at: number) => {
    const clock = clocks[name];
    Object.assign(clock, {
      owed: true,
      elapsedMs: 0,
      startedAt: at,
      warnedAt: null,
      breachedAt: null,
      fulfilledAt: null,
    });
    clock.cycles++;
  };
  const targetOf = (name: SlaClockName) => policy.clocks[name]?.targetsMs[priority] ?? null;

  const t0 = first.at;
  if (policy.clocks.resolution) start('resolution', t0);
  if (policy.clocks.firstReply && !replied) start('firstReply', t0);
  if (policy.clocks.periodicUpdate && replied) start('periodicUpdate', t0);
  for (const name of SLA_CLOCKS) {
    if (clocks[name].owed) clocks[name].targetMs = targetOf(name);
    check(name, t0);
  }

  let next = 0;
  for (let minute = t0; minute <= now; minute += MINUTE) {
    while (next < rest.length && (rest[next] as TicketEvent).at <= minute) {
      const event = rest[next++] as TicketEvent;
      if (status === 'closed' || status === 'merged') continue;
      const after = nextTicketStatus(status, event);
      const live = LIVE.includes(after);
      const publicReply =
        event.type === 'agent.replied' &&
        event.public !== false &&
        (event.bot !== true || policy.botRepliesCount === true);
      const repliedBefore = replied;
      if (publicReply) replied = true;
      if (event.type === 'ticket.reprioritized') priority = event.priority;
      for (const name of SLA_CLOCKS) {
        if (policy.clocks[name] === null) continue;
        const clock = clocks[name];
        if (name === 'firstReply') {
          if (clock.owed && publicReply) Object.assign(clock, { owed: false, fulfilledAt: minute });
          else if (clock.owed && !live) clock.owed = false;
          else if (!clock.owed && live && !replied && clock.cycles > 0) clock.owed = true;
        } else if (name === 'nextReply') {
          if (clock.owed && publicReply) Object.assign(clock, { owed: false, fulfilledAt: minute });
          else if (clock.owed && !live) clock.owed = false;
          else if (!clock.owed && event.type === 'customer.replied' && repliedBefore && live)
            start(name, minute);
        } else if (name === 'periodicUpdate') {
          if (clock.owed && publicReply) Object.assign(clock, { owed: false, fulfilledAt: minute });
          if (clock.owed && !live) clock.owed = false;
          if (live && replied && !clock.owed) start(name, minute);
        } else {
          const solved = after === 'solved' || (after === 'closed' && event.type === 'ticket.closed');
          if (clock.owed && !live) Object.assign(clock, { owed: false, fulfilledAt: solved ? minute : null });
          else if (!clock.owed && live) Object.assign(clock, { owed: true, fulfilledAt: null });
        }
        if (clock.owed) clock.targetMs = targetOf(name);
        check(name, minute);
      }
      status = after;
    }
    if (minute === now) break;
    for (const name of SLA_CLOCKS) {
      const rule = policy.clocks[name];
      const clock = clocks[name];
      if (rule === null || !clock.owed || (rule.pauseIn as readonly string[]).includes(status)) continue;
      if (isOpen(rule.calendar, minute)) clock.elapsedMs += MINUTE;
      check(name, minute + MINUTE);
    }
  }
  return { status, clocks };
}
