import { fc, test } from '@fast-check/vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect } from 'vitest';
import { parseTicketEvent, safeParseTicketEvent, ticketEventJsonSchema } from '../../src/model/index.js';
import { propertyRuns } from '../support/runs.js';
import { arbIsoWithOffset, arbTicketEventInput } from './arbitraries.js';

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', true);
ajv.addFormat('email', true);
const validateJson = ajv.compile(ticketEventJsonSchema);

describe('TicketEvent laws', () => {
  test.prop([arbTicketEventInput], propertyRuns(100))('every well-formed event parses', (input) => {
    const result = safeParseTicketEvent(input);
    if (!result.success) throw new Error(result.error.message);
    expect(result.data.type).toBe(input.type);
  });

  test.prop([arbTicketEventInput], propertyRuns(100))('parse → JSON → parse is the identity', (input) => {
    const once = parseTicketEvent(input);
    const twice = parseTicketEvent(JSON.parse(JSON.stringify(once)));
    expect(twice).toEqual(once);
  });

  test.prop([arbTicketEventInput], propertyRuns(100))('parsing never mutates its input', (input) => {
    const before = JSON.stringify(input);
    parseTicketEvent(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  test.prop([arbIsoWithOffset], propertyRuns(100))(
    'an ISO instant with any offset parses to the instant it names',
    ({ ms, iso }) => {
      expect(parseTicketEvent({ type: 'clock.tick', id: 'e', ticketId: 't', at: iso }).at).toBe(ms);
    },
  );

  test.prop([arbTicketEventInput], propertyRuns(100))(
    'the JSON Schema accepts every event the parser accepts',
    (input) => {
      const valid = validateJson(JSON.parse(JSON.stringify(input)));
      expect(valid, JSON.stringify(validateJson.errors)).toBe(true);
    },
  );

  test.prop([arbTicketEventInput, fc.constantFrom('id', 'ticketId', 'at', 'type')], propertyRuns(100))(
    'dropping a required field is refused by both the parser and the JSON Schema',
    (input, key) => {
      const broken: Record<string, unknown> = { ...input };
      delete broken[key];
      expect(safeParseTicketEvent(broken).success).toBe(false);
      expect(validateJson(broken)).toBe(false);
    },
  );

  test.prop([fc.anything()], propertyRuns(100))(
    'arbitrary input either parses or fails with CarekitValidationError issues',
    (input) => {
      const result = safeParseTicketEvent(input);
      if (!result.success) {
        expect(result.error.issues.length).toBeGreaterThan(0);
        for (const issue of result.error.issues) {
          expect(typeof issue.code).toBe('string');
          expect(Array.isArray(issue.path)).toBe(true);
          expect(issue.message.length).toBeGreaterThan(0);
        }
      }
    },
  );
});
