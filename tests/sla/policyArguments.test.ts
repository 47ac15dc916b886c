// The refusals of selectSlaPolicy, slaPolicyApplies, resolveClockMeasure and businessHours: each
// names the function, the path of the bad argument and what was expected.
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/index.js';
import {
  businessHours,
  calendarHours,
  createSlaPolicy,
  resolveClockMeasure,
  selectSlaPolicy,
  slaPolicyApplies,
} from '../../src/sla/index.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { code: string; path: unknown; message: string };
  }
  throw new Error('the call was accepted');
};

const vip = createSlaPolicy({
  id: 'vip',
  calendar: null,
  when: { segment: ['vip'] },
  firstReply: { targets: { normal: { hours: 1 } } },
});
const standard = createSlaPolicy({
  id: 'standard',
  calendar: null,
  firstReply: { targets: { normal: { hours: 4 } } },
});

describe('selectSlaPolicy and slaPolicyApplies', () => {
  it('match a listed value only', () => {
    expect(slaPolicyApplies(vip, { segment: 'vip' })).toBe(true);
    expect(slaPolicyApplies(vip, { segment: 'standard' })).toBe(false);
    expect(slaPolicyApplies(vip, { segment: null })).toBe(false);
    expect(selectSlaPolicy([vip, standard], { segment: 'standard' })?.id).toBe('standard');
  });

  it('refuse what is not a list of policies, naming the entry', () => {
    expect(refusal(() => selectSlaPolicy('vip' as never, {}))).toMatchObject({ path: ['policies'] });
    expect(refusal(() => selectSlaPolicy('vip' as never, {})).message).toContain(
      'selectSlaPolicy: policies must be an array of SLA policies from createSlaPolicy',
    );
    expect(refusal(() => selectSlaPolicy([vip, {} as never], {}))).toMatchObject({ path: ['policies', 1] });
    expect(refusal(() => selectSlaPolicy([vip, {} as never], {})).message).toMatch(/^selectSlaPolicy: /);
  });

  it('refuse ticket facts that are not strings, naming the fact', () => {
    for (const [fn, run] of [
      ['selectSlaPolicy', (ticket: unknown) => selectSlaPolicy([vip], ticket as never)],
      ['slaPolicyApplies', (ticket: unknown) => slaPolicyApplies(vip, ticket as never)],
    ] as const) {
      const notObject = refusal(() => run('vip'));
      expect(notObject.path).toEqual(['ticket']);
      expect(notObject.message).toContain(
        `${fn}: ticket must be the ticket facts ({ segment?, channel?, category?, priority? })`,
      );
      const notString = refusal(() => run({ segment: 7 }));
      expect(notString.path).toEqual(['ticket', 'segment']);
      expect(notString.message).toContain(`${fn}: ticket.segment must be a string, null or undefined`);
    }
    expect(refusal(() => slaPolicyApplies({} as never, {})).message).toMatch(/^slaPolicyApplies: /);
  });

  it('say which fact could not be read', () => {
    const ticket = {
      segment: 'vip',
      get channel(): string {
        throw new Error('gone');
      },
    };
    expect(refusal(() => selectSlaPolicy([vip], ticket as never))).toMatchObject({
      code: 'unreadable_input',
      path: ['ticket', 'channel'],
      message: 'selectSlaPolicy: ticket.channel could not be read (gone)',
    });
  });
});

describe('resolveClockMeasure and businessHours', () => {
  const weekdays = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']] } });

  it('find calendars and measures by name', () => {
    expect(resolveClockMeasure('support', { support: calendarHours })).toBe(calendarHours);
    expect(resolveClockMeasure('support', { support: weekdays })).toBe(businessHours(weekdays));
  });

  it('refuse a name that is not a string', () => {
    const error = refusal(() => resolveClockMeasure(5 as never, {}));
    expect(error.path).toEqual(['name']);
    expect(error.message).toContain('resolveClockMeasure: name must be a calendar name or null');
  });

  it('say which calendars they know when the name is not among them, at most twenty', () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`c${i}`, calendarHours]));
    const error = refusal(() => resolveClockMeasure('support', many));
    expect(error).toMatchObject({ code: 'unknown_calendar', path: ['name'] });
    expect(error.message).toContain('"c19"');
    expect(error.message).not.toContain('"c20"');
    expect(
      refusal(() => resolveClockMeasure('support', { other: calendarHours, office: calendarHours })).message,
    ).toBe(
      'The SLA policy counts in the calendar "support", which is not in the calendars option (known: "other", "office")',
    );
    expect(refusal(() => resolveClockMeasure('support', undefined)).message).toBe(
      'The SLA policy counts in the calendar "support", which is not in the calendars option (none given)',
    );
  });

  it('refuse an entry that is neither a calendar nor a measure', () => {
    for (const entry of [null, 5, 'UTC']) {
      const error = refusal(() => resolveClockMeasure('support', { support: entry as never }));
      expect(error).toMatchObject({ code: 'invalid_calendar', path: ['calendars', 'support'] });
      expect(error.message).toContain('a calendar from createCalendar or a { between, add } clock measure');
    }
    // An object without `between` is taken for a calendar, and checked as one.
    expect(
      refusal(() => resolveClockMeasure('support', { support: { add: () => 0 } as never })).message,
    ).toMatch(/^businessHours: /);
  });

  it('say so when the calendars cannot be read, with the cause cut to 200 characters', () => {
    const calendars = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('x'.repeat(500));
        },
      },
    );
    const error = refusal(() => resolveClockMeasure('support', calendars));
    expect(error).toMatchObject({ code: 'unreadable_input', path: ['calendars', 'support'] });
    expect(error.message).toBe(`resolveClockMeasure: calendars could not be read (${'x'.repeat(200)})`);
    const throwsAString = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw 'no';
        },
      },
    );
    expect(refusal(() => resolveClockMeasure('support', throwsAString)).message).toBe(
      'resolveClockMeasure: calendars could not be read (it threw)',
    );
  });
});
