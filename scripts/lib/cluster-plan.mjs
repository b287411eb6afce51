// The supervisor's arithmetic (scripts/cluster.mjs), kept pure for tests/unit/cluster-plan.test.ts:
// how many web processes, how many database connections each process may open, and when a crashed
// process is started again.
import os from "node:os";

/** Connections the app may use in all, by default: the embedded PostgreSQL's max_connections (100) less room for psql, migrations and the superuser. */
export const DEFAULT_CONNECTION_BUDGET = 80;
/** A process's pool never grows beyond this by default (what one process used before; more only queues inside PostgreSQL). */
export const DEFAULT_MAX_POOL = 10;
/** Connections a process holds outside its pool: web — the cache bus (LISTEN); the worker — the job wake-up LISTEN and the Telegram poller's lock. */
export const DEDICATED_CONNECTIONS = 2;

function wholeNumber(value, name, { min = 1 } = {}) {
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/** WEB_CONCURRENCY, else the number of cores (os.availableParallelism()). */
export function webConcurrency(env = process.env, cores = os.availableParallelism()) {
  return wholeNumber(env.WEB_CONCURRENCY, "WEB_CONCURRENCY") ?? Math.max(1, cores);
}

/**
 * The pool size of every process (DATABASE_POOL_SIZE is per process). Explicit → used as is, but refused
 * when all processes together would exceed DATABASE_CONNECTION_BUDGET. Unset → the budget shared by the
 * web processes and the worker (if this supervisor runs one), less each one's dedicated connections, at
 * most DEFAULT_MAX_POOL. On several hosts the budget is this host's share (docs/deployment.md).
 * Returns { poolSize, processes, budget, total }.
 */
export function poolPlan({ webProcesses, worker = true, env = process.env }) {
  const processes = webProcesses + (worker ? 1 : 0);
  const budget = wholeNumber(env.DATABASE_CONNECTION_BUDGET, "DATABASE_CONNECTION_BUDGET") ?? DEFAULT_CONNECTION_BUDGET;
  const explicit = wholeNumber(env.DATABASE_POOL_SIZE, "DATABASE_POOL_SIZE");
  const fair = Math.floor(budget / processes) - DEDICATED_CONNECTIONS;
  const poolSize = explicit ?? Math.min(DEFAULT_MAX_POOL, fair);
  if (poolSize < 1) {
    throw new Error(
      `DATABASE_CONNECTION_BUDGET=${budget} is too small for ${processes} processes (each needs ${DEDICATED_CONNECTIONS} + a pool of at least 1): raise it or lower WEB_CONCURRENCY`,
    );
  }
  const total = processes * (poolSize + DEDICATED_CONNECTIONS);
  if (total > budget) {
    throw new Error(
      `DATABASE_POOL_SIZE=${poolSize} × ${processes} processes (+${DEDICATED_CONNECTIONS} each) = ${total} connections, more than DATABASE_CONNECTION_BUDGET=${budget}: lower one of them or WEB_CONCURRENCY`,
    );
  }
  return { poolSize, processes, budget, total };
}

/**
 * Restart policy of one slot (a web process or the worker): the n-th crash within `windowMs` waits
 * baseMs·2^(n-1) (at most maxMs); more than `maxCrashes` crashes within the window is a crash loop:
 * restart() answers null and the supervisor stops with an error.
 */
export function createRestartPolicy({ baseMs = 500, maxMs = 15_000, windowMs = 60_000, maxCrashes = 5 } = {}) {
  const crashes = [];
  return {
    /** Records a crash at `now`; the delay before the restart in ms, or null for a crash loop. */
    crashed(now = Date.now()) {
      crashes.push(now);
      while (crashes.length && crashes[0] <= now - windowMs) crashes.shift();
      if (crashes.length > maxCrashes) return null;
      return Math.min(maxMs, baseMs * 2 ** (crashes.length - 1));
    },
    get recentCrashes() {
      return crashes.length;
    },
  };
}
