// Runs in the unit project and again under other process time zones (the tz project):
// shifts are read in each calendar's own zone, never the process zone.
import { describe, expect, it } from 'vitest';
import { alwaysOpen, createCalendar } from '../../../src/calendar/index.js';
import { createRouter } from '../../../src/routing/index.js';

describe('onShift with business calendars', () => {
  const calendars = {
    berlin: createCalendar({ timeZone: 'Europe/Berlin', week: { fri: [['09:00', '17:00']] } }),
    always: alwaysOpen,
  };
  const agents = [
    { id: 'b', name: 'Berlin', calendarId: 'berlin' },
    { id: 'x', name: 'Lost', calendarId: 'missing' },
  ];
  const router = createRouter({ filters: ['onShift'] }, { calendars });
  it('routes to an agent whose calendar is open at the ticket time, in the calendar zone', () => {
    // Friday 16:59 and 17:00 in Berlin (UTC+1 in March), whatever the process time zone.
    expect(router.route({ id: 't', at: Date.parse('2025-03-14T15:59:00Z') }, agents).agentId).toBe('b');
    const closed = router.route({ id: 't', at: Date.parse('2025-03-14T16:00:00Z') }, agents);
    expect(closed.agentId).toBeNull();
    expect(closed.reason).toContain('is off shift (2)');
  });
  it('an agent with always-open shifts is always on', () => {
    expect(router.route({ id: 't', at: 0 }, [{ id: 'a', name: 'A', calendarId: 'always' }]).agentId).toBe(
      'a',
    );
  });
});
