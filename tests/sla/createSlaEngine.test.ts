// createSlaEngine's own refusals: each names the function and the argument.
import { describe, expect, it } from 'vitest';
import { createSlaEngine, createSlaPolicy } from '../../src/sla/index.js';

const policy = createSlaPolicy({
  id: 'p',
  calendar: null,
  firstReply: { targets: { normal: { hours: 1 } } },
});

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { code: string; path?: unknown; message: string };
  }
  throw new Error('createSlaEngine accepted it');
};

describe('createSlaEngine', () => {
  it('refuses what is not a policy, under its own name', () => {
    expect(refusal(() => createSlaEngine({} as never))).toMatchObject({
      code: 'invalid_policy',
      path: ['policy'],
      message: 'createSlaEngine: policy must be an SLA policy made by createSlaPolicy, got an object',
    });
  });

  it('refuses an unknown option, naming its options', () => {
    expect(refusal(() => createSlaEngine(policy, { clendars: {} } as never))).toMatchObject({
      code: 'invalid_input',
      message:
        'Invalid createSlaEngine options: 1 problem\n  - (root): "clendars" is not an option of createSlaEngine options; allowed: calendars',
    });
  });
});
