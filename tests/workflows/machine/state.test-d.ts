// The machine's state value is the lifecycle's status, typed: no `states as any` in between.
import { describe, expectTypeOf, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import type { TicketStatus } from '../../../src/model/index.js';
import type { TicketMachine } from '../../../src/workflows/ticket/machine.js';

type Snapshot = SnapshotFrom<TicketMachine>;

describe("the ticket machine's state", () => {
  it('is a TicketStatus', () => {
    expectTypeOf<Snapshot['value']>().toEqualTypeOf<TicketStatus>();
  });

  it('refuses a misspelt status where a state is named', () => {
    const check = (snapshot: Snapshot) => {
      snapshot.matches('pending');
      // @ts-expect-error not a status
      snapshot.matches('pendng');
      // @ts-expect-error the state value is a status, not any string
      const value: 'open' | 'pending' = snapshot.value;
      return value;
    };
    expectTypeOf(check).toBeFunction();
  });
});
