// What bench/replay.bench.ts measures, as one entry: bundled by esbuild before the run (as the
// package's dist is built), so the bench times the code users run, not tsx's on-the-fly compile
// with its per-function `__name` wrappers. `REPLAY_TSX=1` imports it from the sources instead.
export { parseTicketEvent } from '../src/model/index.js';
export { createSlaPolicy } from '../src/sla/index.js';
export { createTicketWorkflow } from '../src/workflows/index.js';
export { ticketMachine } from '../src/workflows/machine/index.js';
