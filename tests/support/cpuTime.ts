// Cost checks measured in the process's CPU time, not wall time: on a shared machine the wall
// clock also counts the time other processes held the cores, and a "runs at once" check would
// fail for a reason that is not the code's.
import { cpuUsage } from 'node:process';

/** Runs `work` and returns the CPU time it took (user + system, in ms) with its result. */
export function cpuTime<T>(work: () => T): { ms: number; result: T } {
  const before = cpuUsage();
  const result = work();
  const spent = cpuUsage(before);
  return { ms: (spent.user + spent.system) / 1000, result };
}
