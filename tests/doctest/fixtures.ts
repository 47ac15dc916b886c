// Values the examples of src/ use without building them: the doctest's scope holds every export of
// this module (after carekit's own names, which win). Add a fixture here, then strike the examples
// it completes from NOT_RUN in ./doctest.test.ts.
import { createCalendar } from '../../src/calendar/index.js';

/** XState's machine factory, for the examples that draw any machine (`toMermaid`). */
export { createMachine } from 'xstate';

const nineToFive = [['09:00', '17:00']] as [string, string][];

/** A 09:00–17:00 Monday-to-Friday calendar in UTC (`support` in the SLA examples). */
export const support = createCalendar({
  name: 'support',
  timeZone: 'UTC',
  week: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
});
