// The embedded job runner: executes the `jobs` outbox in-process when Inngest is not configured,
// and — in "relay" mode — forwards the same rows to Inngest when it is. See docs/jobs.md.
//
// Guarantees
// - A job row is run by one runner at a time: rows are claimed with SELECT … FOR UPDATE SKIP LOCKED
//   inside one UPDATE that sets RUNNING, locked_by, locked_until and attempts+1; completion is a
//   compare-and-set on (id, locked_by, RUNNING), so a runner that lost its lease cannot overwrite.
// - At-least-once: a RUNNING row whose lease expired (its server died) is claimed again. Leases of
//   live jobs are extended by a heartbeat, so a slow job is not taken over while it runs.
// - Failures retry with exponential backoff (RetryAfterError picks the time; NonRetriableError and
//   the last attempt end FAILED with last_error).
// - Each cron tick is claimed by exactly one server with a conditional upsert on cron_ticks; only
//   the winner enqueues the tick's job (and its dedupe key makes even a double enqueue one job).
import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { NonRetriableError, RetryAfterError } from "inngest";
import { db as defaultDb, type Db, TX_PROFILES } from "@/lib/db";
import { env } from "@/lib/env";
import { retryDelayMs } from "./backoff";
import { latestCronTick } from "./cron";
import { CRON_EVENT_NAME, createLocalStep, type JobDefinition } from "./define";
import { enqueueCronTick, eventIdOf } from "./enqueue";
import type { JobRegistry } from "./registry";
import { onKick } from "./wake";

export type RunnerMode = "execute" | "relay";

export interface RelayEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
}

export interface RunnerLogger {
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

export interface RunnerOptions {
  /** Unique per runner (lock owner). Default: host:pid:random. */
  id?: string;
  /** "execute" runs handlers here; "relay" forwards rows to Inngest (`send`). Default "execute". */
  mode?: RunnerMode;
  /** The implementations this runner executes (the app's: lib/worker appRegistry()). */
  registry: JobRegistry;
  db?: Db;
  /** Poll interval (JOBS_POLL_MS, default 1000). kick() wakes the runner earlier. */
  pollMs?: number;
  /** Jobs run in parallel by this runner (JOBS_CONCURRENCY, default 4). */
  concurrency?: number;
  /** Lease of a claimed job (JOBS_LOCK_MS, default 5 min); renewed while the job runs. */
  lockMs?: number;
  /** First retry delay (JOBS_BACKOFF_BASE_MS, default 15 s); doubles per retry, capped at backoffMaxMs. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** ± fraction of random spread on retry delays (default 0.2; tests pass 0). */
  backoffJitter?: number;
  /** Claim cron ticks (default: true in execute mode, false in relay mode: Inngest runs crons). */
  crons?: boolean;
  /** A tick missed while no server ran is still run if it is at most this old (default 10 min). */
  cronCatchUpMs?: number;
  /** Relay mode: how events reach Inngest. Default: getInngest().send. */
  send?: (events: RelayEvent[]) => Promise<unknown>;
  /** Relay mode: rows forwarded per poll (default 100). */
  relayBatchSize?: number;
  now?: () => Date;
  logger?: RunnerLogger;
}

interface ClaimedJob {
  id: string;
  name: string;
  eventName: string;
  payload: Record<string, unknown>;
  dedupeKey: string;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
}

interface ClaimedRow {
  id: string;
  name: string;
  event_name: string;
  payload: unknown;
  dedupe_key: string;
  attempts: number;
  max_attempts: number;
  created_at: Date;
}

const MAX_ERROR_LENGTH = 4000;

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}${error.stack ? `\n${error.stack.split("\n").slice(1, 6).join("\n")}` : ""}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

/** RetryAfterError.retryAfter is "<ms>" or an RFC 3339 date. */
function retryAfterDate(error: RetryAfterError, now: Date): Date | undefined {
  const raw = String(error.retryAfter);
  if (/^\d+$/.test(raw)) return new Date(now.getTime() + Number(raw));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : new Date(at);
}

/** Transaction limits of a cron claim: as patient as the sale transactions (lib/registrations). */

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class Runner {
  readonly id: string;
  readonly mode: RunnerMode;
  private readonly registry: JobRegistry;
  private readonly db: Db;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly lockMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly backoffJitter: number;
  private readonly crons: boolean;
  private readonly cronCatchUpMs: number;
  private readonly relayBatchSize: number;
  private readonly sendEvents?: (events: RelayEvent[]) => Promise<unknown>;
  private readonly now: () => Date;
  private readonly log: RunnerLogger;

  private running = false;
  private loopPromise: Promise<void> | null = null;
  private readonly inFlight = new Map<string, { job: ClaimedJob; promise: Promise<void> }>();
  private readonly lastCronTick = new Map<string, number>();
  private wakeUp: (() => void) | null = null;
  private wakePending = false;
  private unsubscribeKick: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(options: RunnerOptions) {
    const e = needsEnv(options) ? env() : undefined;
    this.id = options.id ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.mode = options.mode ?? "execute";
    this.registry = options.registry;
    this.db = options.db ?? defaultDb;
    this.pollMs = options.pollMs ?? e?.JOBS_POLL_MS ?? 1000;
    this.concurrency = options.concurrency ?? e?.JOBS_CONCURRENCY ?? 4;
    this.lockMs = options.lockMs ?? e?.JOBS_LOCK_MS ?? 300_000;
    this.backoffBaseMs = options.backoffBaseMs ?? e?.JOBS_BACKOFF_BASE_MS ?? 15_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 3_600_000;
    this.backoffJitter = options.backoffJitter ?? 0.2;
    this.crons = options.crons ?? this.mode === "execute";
    this.cronCatchUpMs = options.cronCatchUpMs ?? 10 * 60_000;
    this.relayBatchSize = options.relayBatchSize ?? 100;
    this.sendEvents = options.send;
    this.now = options.now ?? (() => new Date());
    this.log = options.logger ?? {
      info: (m, ...a) => console.info(`[jobs] ${m}`, ...a),
      warn: (m, ...a) => console.warn(`[jobs] ${m}`, ...a),
      error: (m, ...a) => console.error(`[jobs] ${m}`, ...a),
    };
    if (this.mode === "relay" && !this.sendEvents) throw new Error("Runner in relay mode needs a send function");
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Jobs currently executing in this runner. */
  get activeJobs(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribeKick = onKick(() => this.wake());
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.lockMs / 3)));
    this.heartbeat.unref?.();
    this.loopPromise = this.loop();
  }

  /**
   * Stops polling and waits up to `timeoutMs` (default 30 s) for running jobs. Jobs still running
   * then keep their lease until it expires, after which another runner takes them again.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribeKick?.();
    this.unsubscribeKick = null;
    this.wake();
    await this.loopPromise;
    this.loopPromise = null;
    const pending = [...this.inFlight.values()].map((f) => f.promise);
    if (pending.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(pending),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.timeoutMs ?? 30_000);
        }),
      ]);
      clearTimeout(timer);
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Polls now instead of at the next interval. */
  wake(): void {
    this.wakePending = true;
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  /**
   * One poll without the loop (tests, scripts): claims due cron ticks, then claims up to the free
   * slots and waits for those jobs. Returns the number of jobs claimed.
   */
  async runOnce(): Promise<number> {
    if (this.crons) await this.tickCrons();
    if (this.mode === "relay") return this.relayOnce();
    const started = await this.claimAndStart();
    await Promise.allSettled(started);
    return started.length;
  }

  /**
   * Hands back at once the jobs a dead runner of this host left RUNNING, instead of waiting for their
   * lease (JOBS_LOCK_MS, 5 min) to expire: a runner id is host:pid:random, so a lease whose host is this
   * one and whose process no longer exists belongs to a runner that crashed (npm start's supervisor
   * restarts the worker after a crash). A live pid — even this process's, which may hold other runners
   * (tests) or be a restarted container's reused pid — is left to its lease. At-least-once as always:
   * such a job may run again from its start.
   * Returns the number of jobs released.
   */
  async releaseLeasesOfDeadRunners(): Promise<number> {
    const host = os.hostname();
    const holders = await this.db.$queryRaw<{ locked_by: string }[]>`
      SELECT DISTINCT locked_by FROM jobs WHERE status = 'RUNNING' AND locked_by LIKE ${`${host}:%`}`;
    const dead = holders
      .map((h) => h.locked_by)
      .filter((holder) => {
        if (holder === this.id) return false;
        const pid = Number(holder.slice(host.length + 1).split(":")[0]);
        if (!Number.isInteger(pid) || pid <= 0) return false;
        return !processExists(pid);
      });
    if (dead.length === 0) return 0;
    const released = await this.db.$executeRaw`
      UPDATE jobs SET status = 'PENDING', run_at = now(), locked_by = NULL, locked_until = NULL
      WHERE status = 'RUNNING' AND locked_by = ANY(${dead}::text[])`;
    if (released) this.log.warn(`released ${released} job(s) left running by a stopped runner (${dead.join(", ")}): they run again`);
    return released;
  }

  private async loop(): Promise<void> {
    try {
      await this.releaseLeasesOfDeadRunners();
    } catch (error) {
      this.log.error("releasing the jobs of stopped runners failed", error);
    }
    while (this.running) {
      let more = false;
      try {
        if (this.crons) await this.tickCrons();
        if (this.mode === "relay") {
          // A full batch means more rows are waiting: go again right away.
          more = (await this.relayOnce()) >= this.relayBatchSize;
        } else if (this.concurrency - this.inFlight.size > 0) {
          await this.claimAndStart();
          // When every slot is busy, a finishing job wakes the loop (see track()).
        }
      } catch (error) {
        this.log.error("poll failed", error);
      }
      if (!this.running) break;
      if (!more) await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = null;
        this.wakePending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  // ───────────────────────────── crons ─────────────────────────────

  /** Claims every cron tick that is due; returns how many this runner won (and enqueued). */
  async tickCrons(): Promise<number> {
    const now = this.now();
    let won = 0;
    for (const job of this.registry.crons()) {
      if (!job.schedule) continue;
      const last = this.lastCronTick.get(job.id);
      const notBefore = Math.max(last !== undefined ? last + 1 : 0, now.getTime() - this.cronCatchUpMs);
      const tick = latestCronTick(job.schedule, now, new Date(notBefore));
      if (!tick) continue;
      this.lastCronTick.set(job.id, tick.getTime());
      try {
        if (await this.claimCronTick(job, tick)) won++;
      } catch (error) {
        this.lastCronTick.delete(job.id);
        this.log.error(`cron ${job.id}: claiming tick ${tick.toISOString()} failed`, error);
      }
    }
    return won;
  }

  /**
   * The conditional upsert: true for exactly one caller per (cron, tick), which enqueues its job. Waits
   * for a pool connection as long as the sale transactions do (a burst of requests on a small machine
   * delays a claim; Prisma's 2 s default failed it, seen in the embedded test layer).
   */
  async claimCronTick(job: JobDefinition, tick: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ name: string }[]>`
        INSERT INTO cron_ticks (name, last_tick) VALUES (${job.id}, ${tick})
        ON CONFLICT (name) DO UPDATE SET last_tick = EXCLUDED.last_tick
        WHERE cron_ticks.last_tick < EXCLUDED.last_tick
        RETURNING name`;
      if (rows.length === 0) return false;
      await enqueueCronTick(tx, job, tick);
      return true;
    }, TX_PROFILES.standard);
  }

  // ───────────────────────────── claiming ─────────────────────────────

  private async claimAndStart(): Promise<Promise<void>[]> {
    const started: Promise<void>[] = [];
    let free = this.concurrency - this.inFlight.size;
    if (free <= 0) return started;
    const unlimited = this.registry.jobs.filter((j) => !j.concurrency).map((j) => j.id);
    const batches: { names: string[]; limit: number }[] = [];
    for (const job of this.registry.jobs) {
      if (!job.concurrency) continue;
      const running = [...this.inFlight.values()].filter((f) => f.job.name === job.id).length;
      const capacity = job.concurrency - running;
      if (capacity > 0) batches.push({ names: [job.id], limit: capacity });
    }
    if (unlimited.length) batches.unshift({ names: unlimited, limit: free });
    // Which of these functions have a job due, in one query: a claim per function with a concurrency
    // limit (sixteen of them) cost a round trip each on every wake-up, and the loop is serial — it capped
    // the runner at ~25 jobs/s whatever JOBS_CONCURRENCY said. A job that becomes due after this look is
    // picked up at the next wake-up or poll, as one arriving just after a claim always was.
    const due = await this.dueNames(batches.flatMap((b) => b.names));
    for (const batch of batches) {
      if (free <= 0) break;
      const names = batch.names.filter((name) => due.has(name));
      if (names.length === 0) continue;
      const jobs = await this.claim(names, Math.min(batch.limit, free));
      free -= jobs.length;
      for (const job of jobs) started.push(this.track([job], () => this.execute(job)));
    }
    return started;
  }

  private track(jobs: ClaimedJob[], fn: () => Promise<void>): Promise<void> {
    const promise = fn()
      .catch((error) => this.log.error("job bookkeeping failed", error))
      .finally(() => {
        for (const job of jobs) this.inFlight.delete(job.id);
        // A slot freed: look for more work right away.
        if (this.running) this.wake();
      });
    for (const job of jobs) this.inFlight.set(job.id, { job, promise });
    return promise;
  }

  /** The names among `names` with at least one job to claim now (the claim's own condition). */
  private async dueNames(names: string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const now = this.now();
    const rows = await this.db.$queryRaw<{ name: string }[]>`
      SELECT DISTINCT name FROM jobs
      WHERE name = ANY(${names}::text[])
        AND ((status = 'PENDING' AND run_at <= ${now}) OR (status = 'RUNNING' AND locked_until < ${now}))`;
    return new Set(rows.map((r) => r.name));
  }

  private async claim(names: string[], limit: number): Promise<ClaimedJob[]> {
    if (names.length === 0 || limit <= 0) return [];
    const now = this.now();
    const lockedUntil = new Date(now.getTime() + this.lockMs);
    const rows = await this.db.$queryRaw<ClaimedRow[]>`
      WITH due AS (
        SELECT id FROM jobs
        WHERE name = ANY(${names}::text[])
          AND ((status = 'PENDING' AND run_at <= ${now}) OR (status = 'RUNNING' AND locked_until < ${now}))
        ORDER BY run_at, created_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE jobs AS j
      SET status = 'RUNNING', locked_by = ${this.id}, locked_until = ${lockedUntil},
          attempts = j.attempts + 1, updated_at = ${now}
      FROM due
      WHERE j.id = due.id
        AND (j.status = 'PENDING' OR (j.status = 'RUNNING' AND j.locked_until < ${now}))
      RETURNING j.id, j.name, j.event_name, j.payload, j.dedupe_key, j.attempts, j.max_attempts, j.created_at`;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      eventName: r.event_name,
      payload: (r.payload ?? {}) as Record<string, unknown>,
      dedupeKey: r.dedupe_key,
      attempts: Number(r.attempts),
      maxAttempts: Number(r.max_attempts),
      createdAt: r.created_at,
    }));
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.inFlight.keys()];
    if (ids.length === 0) return;
    const until = new Date(this.now().getTime() + this.lockMs);
    try {
      await this.db.$executeRaw`
        UPDATE jobs SET locked_until = ${until}
        WHERE id = ANY(${ids}::uuid[]) AND locked_by = ${this.id} AND status = 'RUNNING'`;
    } catch (error) {
      this.log.warn("renewing leases failed", error);
    }
  }

  // ───────────────────────────── executing ─────────────────────────────

  private async execute(job: ClaimedJob): Promise<void> {
    const definition = this.registry.get(job.name);
    if (!definition) {
      // Claimed only by name from this registry, so this cannot happen; release it untouched.
      await this.finish(job, { status: "PENDING", runAt: this.now(), lastError: `unknown function ${job.name}` });
      return;
    }
    if (job.attempts > job.maxAttempts) {
      await this.finish(job, { status: "FAILED", lastError: "lease expired during the last attempt (server stopped?)" });
      return;
    }
    const isCron = job.eventName === "cron";
    const tick = isCron && typeof job.payload.tick === "string" ? Date.parse(job.payload.tick) : undefined;
    try {
      await definition.run({
        event: {
          name: isCron ? CRON_EVENT_NAME : job.eventName,
          id: eventIdOf(job.dedupeKey),
          data: isCron ? { cron: job.payload.cron } : job.payload,
          ts: tick ?? job.createdAt.getTime(),
        },
        step: createLocalStep(),
        attempt: job.attempts - 1,
        runId: job.id,
      });
      await this.finish(job, { status: "SUCCEEDED" });
    } catch (error) {
      await this.fail(job, error);
    }
  }

  private async fail(job: ClaimedJob, error: unknown): Promise<void> {
    const now = this.now();
    const lastError = errorText(error);
    if (error instanceof NonRetriableError || job.attempts >= job.maxAttempts) {
      this.log.warn(`${job.name} (${job.dedupeKey}) failed for good after ${job.attempts} attempt(s): ${error instanceof Error ? error.message : String(error)}`);
      await this.finish(job, { status: "FAILED", lastError });
      return;
    }
    const runAt =
      (error instanceof RetryAfterError ? retryAfterDate(error, now) : undefined) ??
      new Date(now.getTime() + retryDelayMs(job.attempts, { baseMs: this.backoffBaseMs, maxMs: this.backoffMaxMs, jitter: this.backoffJitter }));
    await this.finish(job, { status: "PENDING", runAt, lastError });
  }

  /** Compare-and-set on (id, locked_by, RUNNING): a runner that lost its lease changes nothing. */
  private async finish(
    job: ClaimedJob,
    outcome: { status: "SUCCEEDED" } | { status: "FAILED"; lastError: string } | { status: "PENDING"; runAt: Date; lastError: string },
  ): Promise<void> {
    const now = this.now();
    const updated = await this.db.job.updateMany({
      where: { id: job.id, lockedBy: this.id, status: "RUNNING" },
      data:
        outcome.status === "PENDING"
          ? { status: "PENDING", runAt: outcome.runAt, lastError: outcome.lastError, lockedBy: null, lockedUntil: null }
          : outcome.status === "FAILED"
            ? { status: "FAILED", lastError: outcome.lastError, finishedAt: now, lockedBy: null, lockedUntil: null }
            : { status: "SUCCEEDED", finishedAt: now, lockedBy: null, lockedUntil: null },
    });
    if (updated.count === 0) this.log.warn(`${job.name} (${job.dedupeKey}): lease lost before completion; another runner owns it now`);
  }

  // ───────────────────────────── relaying ─────────────────────────────

  /** Claims one batch of outbox rows and forwards it to Inngest; returns the rows claimed. */
  private async relayOnce(): Promise<number> {
    const jobs = await this.claim(
      this.registry.jobs.map((j) => j.id),
      this.relayBatchSize,
    );
    if (jobs.length) await this.relay(jobs);
    return jobs.length;
  }

  private async relay(jobs: ClaimedJob[]): Promise<void> {
    const events = new Map<string, RelayEvent>();
    const crons: ClaimedJob[] = [];
    for (const job of jobs) {
      if (job.eventName === "cron") {
        crons.push(job);
        continue;
      }
      const id = eventIdOf(job.dedupeKey);
      if (!events.has(id)) events.set(id, { id, name: job.eventName, data: job.payload });
    }
    for (const job of crons) await this.finish(job, { status: "FAILED", lastError: "cron ticks are scheduled by Inngest in Inngest mode" });
    const relayed = jobs.filter((j) => j.eventName !== "cron");
    if (relayed.length === 0) return;
    try {
      await this.sendEvents!([...events.values()]);
      await Promise.all(relayed.map((job) => this.finish(job, { status: "SUCCEEDED" })));
    } catch (error) {
      // Inngest unreachable: keep the rows and try again later (never give up on an event).
      this.log.warn(`relaying ${events.size} event(s) to Inngest failed: ${error instanceof Error ? error.message : String(error)}`);
      const now = this.now();
      await Promise.all(
        relayed.map((job) =>
          this.finish(job, {
            status: "PENDING",
            runAt: new Date(now.getTime() + retryDelayMs(job.attempts, { baseMs: this.backoffBaseMs, maxMs: this.backoffMaxMs, jitter: this.backoffJitter })),
            lastError: errorText(error),
          }),
        ),
      );
    }
  }
}

function needsEnv(options: RunnerOptions): boolean {
  return options.pollMs === undefined || options.concurrency === undefined || options.lockMs === undefined || options.backoffBaseMs === undefined;
}

// ───────────────────────────── process-wide runner ─────────────────────────────

const globalForRunner = globalThis as unknown as { __aqJobRunner?: Runner };

/** Starts this process's runner (idempotent: returns the running one). */
export function startRunner(options: RunnerOptions): Runner {
  const existing = globalForRunner.__aqJobRunner;
  if (existing?.isRunning) return existing;
  const runner = new Runner(options);
  globalForRunner.__aqJobRunner = runner;
  runner.start();
  return runner;
}

/** Stops this process's runner, waiting for its running jobs (see Runner.stop). */
export async function stopRunner(options: { timeoutMs?: number } = {}): Promise<void> {
  const runner = globalForRunner.__aqJobRunner;
  globalForRunner.__aqJobRunner = undefined;
  await runner?.stop(options);
}

/** The process's runner, if started. */
export function currentRunner(): Runner | undefined {
  return globalForRunner.__aqJobRunner;
}

