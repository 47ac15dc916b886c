// The CPU the PostgreSQL server spends for one pool: the backends of the pool's connections,
// read from /proc (so only when the server runs on this machine and /proc is readable; null
// otherwise). Other clients' backends are not counted, nor the server's shared processes (WAL
// writer, checkpointer), which serve every client.
import { readFileSync } from 'node:fs';
import type pg from 'pg';

const TICKS = 100; // USER_HZ on Linux

function backendSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Records the backend of every connection the pool opens from now on; `seconds()` sums their CPU. */
export function trackBackends(pool: pg.Pool): { seconds(): number | null } {
  const pids = new Set<number>();
  const last = new Map<number, number>();
  pool.on('connect', (client) => {
    // The backend's pid as the server announced it at connection (BackendKeyData): no query.
    const pid = (client as unknown as { processID?: number }).processID;
    if (typeof pid === 'number') pids.add(pid);
  });
  return {
    seconds() {
      let total = 0;
      for (const pid of pids) {
        const s = backendSeconds(pid);
        // A backend gone (its connection closed) keeps the last figure read.
        if (Number.isNaN(s)) total += last.get(pid) ?? 0;
        else {
          last.set(pid, s);
          total += s;
        }
      }
      return pids.size === 0 || Number.isNaN(total) ? null : total;
    },
  };
}
