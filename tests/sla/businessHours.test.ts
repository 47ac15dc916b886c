import { describe, expect, it } from 'vitest';
import { alwaysOpen, createCalendar } from '../../src/calendar/index.js';
import { businessHours, calendarHours, createSlaPolicy, evaluateSla } from '../../src/sla/index.js';
import { agentReplied, opened, statusSet } from './ticketEvents.js';

const H = 3_600_000;
const weekdays = [['09:00', '17:00']] as [string, string][];
const newYork = createCalendar({
  timeZone: 'America/New_York',
  week: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
  holidays: ['2025-07-04'],
});
const calendars = { 'support-hours': newYork };
const policy = createSlaPolicy({
  id: 'business',
  calendar: 'support-hours',
  firstReply: { targets: { normal: { hours: 4 } } },
  resolution: { targets: { normal: { hours: 16 } } },
});

describe('SLA clocks in business hours', () => {
  it('are due across a weekend: Friday 15:00 + 4 h is Monday 11:00', () => {
    const report = evaluateSla(policy, [opened(Date.parse('2025-03-14T15:00:00-04:00'))], {
      calendars,
      now: Date.parse('2025-03-15T12:00:00-04:00'),
    });
    expect(report.clocks.firstReply).toMatchObject({
      status: 'running',
      elapsedMs: 2 * H,
      dueAt: Date.parse('2025-03-17T11:00:00-04:00'),
    });
    expect(report.nextChangeAt).toBe(Date.parse('2025-03-17T10:00:00-04:00'));
  });

  it('count business hours across the spring-forward weekend', () => {
    const report = evaluateSla(policy, [opened(Date.parse('2025-03-07T16:00:00-05:00'))], { calendars });
    expect(report.clocks.firstReply.dueAt).toBe(Date.parse('2025-03-10T12:00:00-04:00'));
  });

  it('skip holidays and stop counting while paused', () => {
    const report = evaluateSla(
      policy,
      [
        opened(Date.parse('2025-07-03T13:00:00-04:00')),
        agentReplied(Date.parse('2025-07-03T14:00:00-04:00'), { status: 'pending' }),
        statusSet(Date.parse('2025-07-07T09:00:00-04:00'), 'open'),
      ],
      { calendars, now: Date.parse('2025-07-07T10:00:00-04:00') },
    );
    expect(report.clocks.firstReply).toMatchObject({ status: 'fulfilled', elapsedMs: H });
    // 1 h on Thursday before pending, nothing on the holiday or the weekend, 1 h on Monday.
    expect(report.clocks.resolution).toMatchObject({
      status: 'running',
      elapsedMs: 2 * H,
      dueAt: Date.parse('2025-07-08T16:00:00-04:00'),
    });
  });

  it('a reply outside business hours after the due time is late', () => {
    const report = evaluateSla(
      policy,
      [
        opened(Date.parse('2025-03-14T15:00:00-04:00')),
        agentReplied(Date.parse('2025-03-17T12:00:00-04:00')),
      ],
      { calendars },
    );
    expect(report.clocks.firstReply).toMatchObject({
      status: 'fulfilled',
      breachedAt: Date.parse('2025-03-17T11:00:00-04:00'),
      elapsedMs: 5 * H,
    });
  });

  it('accept a 24/7 calendar as calendar hours', () => {
    expect(businessHours(alwaysOpen)).toBe(calendarHours);
    expect(businessHours(newYork)).toBe(businessHours(newYork));
  });
});
