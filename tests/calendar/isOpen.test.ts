import { describe, expect, it } from 'vitest';
import { createCalendar, isOpen } from '../../src/calendar/index.js';
import { CarekitArgumentError } from '../../src/model/index.js';

const utc = createCalendar({ timeZone: 'UTC', week: { mon: [['09:00', '17:00']] } });

describe('isOpen', () => {
  it('names the argument of a bad instant', () => {
    expect(() => isOpen(utc, Number.NaN)).toThrow(
      expect.objectContaining({
        constructor: CarekitArgumentError,
        code: 'invalid_instant',
        path: ['at'],
        message: 'at must be a valid Date or epoch milliseconds within ±8.64e15, got NaN',
      }),
    );
  });
});
