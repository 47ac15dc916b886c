// CPU time, not wall time: on a shared machine a test's wall time depends on everything else that
// runs, while the CPU the process spends on a call is its own. Budgets in tests guard against a
// change of complexity class (enumerating a 10 MB string, exponential backtracking), so they are
// set well above the measured cost; speed itself is measured in bench/, not in tests.

/** The CPU milliseconds (user and system) this process spends running `run`, and its result. */
export function cpuTime<T>(run: () => T): { ms: number; result: T } {
  const started = process.cpuUsage();
  const result = run();
  const { user, system } = process.cpuUsage(started);
  return { ms: (user + system) / 1_000, result };
}
