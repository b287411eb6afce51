// How updates reach the bot (called once per server from instrumentation.ts: startTelegram()).
//
//   TELEGRAM_BOT_TOKEN unset            → nothing runs; the app works, the UI says Telegram is not
//                                         configured (isTelegramConfigured()).
//   TELEGRAM_WEBHOOK_URL set            → webhook: setWebhook(<url>/api/telegram/webhook, secret), retried
//                                         in the background until Telegram accepts it.
//   only the token                      → long polling (getUpdates with a timeout, offset tracking,
//                                         backoff on errors). One poller across all servers: the poller
//                                         holds a PostgreSQL advisory lock on a dedicated connection;
//                                         the others stand by and take over when that connection ends.
import "server-only";
import pg from "pg";
import { env } from "@/lib/env";
import { createTelegramApi, getTelegramApi, isTelegramConfigured, toTelegramError, type TelegramApi } from "./api";
import { TELEGRAM_ALLOWED_UPDATES, TELEGRAM_WEBHOOK_PATH } from "./bot-config";
import { handleUpdate } from "./bot";

export { isTelegramConfigured };

/** Advisory lock key of the single poller (any fixed bigint; "AQTG"). */
export const TELEGRAM_POLLER_LOCK_KEY = 0x41515447;

export type TelegramMode = "disabled" | "webhook" | "polling";

export type TelegramRuntime = {
  mode: TelegramMode;
  /** Polling: whether this server currently holds the lock and polls. */
  isPolling(): boolean;
  /** Webhook: resolves once setWebhook succeeded. Polling/disabled: resolves at once. */
  ready: Promise<void>;
  stop(): Promise<void>;
};

export type TelegramRuntimeOptions = {
  /** Overrides for tests; default from the environment. */
  token?: string | null;
  apiRoot?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
  databaseUrl?: string;
  /** getUpdates long-poll timeout in seconds (default 25). */
  pollTimeoutSeconds?: number;
  /** How often a standby server tries to take the poller lock (default 15 s). */
  standbyRetryMs?: number;
  /** Maximum backoff after errors (default 60 s). */
  maxBackoffMs?: number;
};

type Holder = { runtime?: TelegramRuntime };
const holder: Holder = ((globalThis as { __aqTelegramRuntime?: Holder }).__aqTelegramRuntime ??= {});

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function backoffMs(failures: number, max: number): number {
  const base = Math.min(max, 1000 * 2 ** Math.min(failures, 16));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * Starts the Telegram transport of this server (idempotent: a second call returns the running one).
 * Never throws for Telegram being unreachable: it retries in the background.
 */
export async function startTelegram(options: TelegramRuntimeOptions = {}): Promise<TelegramRuntime> {
  if (holder.runtime) return holder.runtime;
  const e = env();
  const token = options.token !== undefined ? options.token : e.TELEGRAM_BOT_TOKEN;
  if (!token) {
    holder.runtime = { mode: "disabled", isPolling: () => false, ready: Promise.resolve(), stop: async () => void (holder.runtime = undefined) };
    return holder.runtime;
  }
  const api =
    options.token !== undefined || options.apiRoot !== undefined
      ? createTelegramApi({ token, apiRoot: options.apiRoot ?? e.TELEGRAM_API_ROOT })
      : getTelegramApi()!;
  const webhookUrl = options.webhookUrl !== undefined ? options.webhookUrl : e.TELEGRAM_WEBHOOK_URL;
  const runtime = webhookUrl
    ? startWebhook(api, webhookUrl, options.webhookSecret !== undefined ? options.webhookSecret : (e.TELEGRAM_WEBHOOK_SECRET ?? null), options)
    : startPolling(api, options);
  holder.runtime = runtime;
  return runtime;
}

/** Stops the running transport, if any (tests, graceful shutdown). */
export async function stopTelegram(): Promise<void> {
  await holder.runtime?.stop();
  holder.runtime = undefined;
}

// ───────────────────────────── webhook ─────────────────────────────

function startWebhook(api: TelegramApi, baseUrl: string, secret: string | null, options: TelegramRuntimeOptions): TelegramRuntime {
  if (!secret) throw new Error("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL");
  const controller = new AbortController();
  const url = `${baseUrl.replace(/\/+$/, "")}${TELEGRAM_WEBHOOK_PATH}`;
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  const ready = (async () => {
    for (let failures = 0; !controller.signal.aborted; failures++) {
      try {
        await api.setWebhook({ url, secretToken: secret, allowedUpdates: TELEGRAM_ALLOWED_UPDATES, dropPendingUpdates: false });
        console.info(`[telegram] webhook set: ${url}`);
        return;
      } catch (error) {
        const err = toTelegramError(error);
        const wait = err.kind === "rate_limited" ? (err.retryAfter ?? 5) * 1000 : backoffMs(failures, maxBackoff);
        console.error(`[telegram] setWebhook failed (${err.message}); retrying in ${Math.round(wait / 1000)} s`);
        await sleep(wait, controller.signal);
      }
    }
  })();
  const runtime: TelegramRuntime = {
    mode: "webhook",
    isPolling: () => false,
    ready,
    async stop() {
      controller.abort();
      await ready;
      if (holder.runtime === runtime) holder.runtime = undefined;
    },
  };
  return runtime;
}

// ───────────────────────────── long polling ─────────────────────────────

function startPolling(api: TelegramApi, options: TelegramRuntimeOptions): TelegramRuntime {
  const controller = new AbortController();
  const signal = controller.signal;
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? env().DATABASE_URL;
  const pollTimeout = options.pollTimeoutSeconds ?? 25;
  const standbyMs = options.standbyRetryMs ?? 15_000;
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  let polling = false;
  let lockClient: pg.Client | null = null;

  /** One session as the poller: returns when the lock connection is lost or on stop. */
  async function pollWhileHoldingLock(client: pg.Client): Promise<void> {
    let lost = false;
    const pollAbort = new AbortController();
    const onLost = () => {
      lost = true;
      pollAbort.abort();
    };
    client.on("error", onLost);
    client.on("end", onLost);
    const onStop = () => pollAbort.abort();
    signal.addEventListener("abort", onStop, { once: true });

    polling = true;
    let offset: number | undefined;
    let failures = 0;
    let webhookCleared = false;
    try {
      while (!signal.aborted && !lost) {
        try {
          // getUpdates is refused (409) while a webhook is set: polling mode removes it first.
          if (!webhookCleared) {
            await api.deleteWebhook({ dropPendingUpdates: false });
            webhookCleared = true;
          }
          const updates = await api.getUpdates(
            { offset, timeout: pollTimeout, allowedUpdates: TELEGRAM_ALLOWED_UPDATES },
            pollAbort.signal,
          );
          failures = 0;
          for (const update of updates) {
            // Advance first: a poison update must not block the queue (handleUpdate never throws).
            offset = update.update_id + 1;
            await handleUpdate(update as Parameters<typeof handleUpdate>[0], { api });
          }
          // Still the poller? A dead lock connection means another server may take over.
          await client.query("SELECT 1");
        } catch (error) {
          if (signal.aborted || lost) break;
          const err = toTelegramError(error);
          if (err.errorCode === 409) webhookCleared = false;
          const wait = err.kind === "rate_limited" ? (err.retryAfter ?? 5) * 1000 : backoffMs(failures, maxBackoff);
          failures++;
          console.error(`[telegram] polling failed (${err.message}); retrying in ${Math.round(wait / 1000)} s`);
          await sleep(wait, signal);
        }
      }
    } finally {
      polling = false;
      signal.removeEventListener("abort", onStop);
      client.off("error", onLost);
      client.off("end", onLost);
    }
  }

  const loop = (async () => {
    let failures = 0;
    while (!signal.aborted) {
      const client = new pg.Client({ connectionString: databaseUrl, application_name: "aqstream-telegram-poller" });
      client.on("error", () => undefined); // a dropped connection is handled by the loop
      let locked = false;
      try {
        await client.connect();
        const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [TELEGRAM_POLLER_LOCK_KEY]);
        locked = rows[0]?.locked === true;
        failures = 0;
      } catch (error) {
        console.error("[telegram] poller lock connection failed:", (error as Error).message);
        failures++;
      }
      if (!locked) {
        await client.end().catch(() => undefined);
        // Someone else polls (or the database is unreachable): stand by.
        await sleep(failures ? backoffMs(failures, maxBackoff) : standbyMs, signal);
        continue;
      }
      lockClient = client;
      try {
        await pollWhileHoldingLock(client);
      } finally {
        lockClient = null;
        await client.query("SELECT pg_advisory_unlock($1::bigint)", [TELEGRAM_POLLER_LOCK_KEY]).catch(() => undefined);
        await client.end().catch(() => undefined);
      }
    }
  })();

  const runtime: TelegramRuntime = {
    mode: "polling",
    isPolling: () => polling && lockClient !== null,
    ready: Promise.resolve(),
    async stop() {
      controller.abort();
      await loop;
      if (holder.runtime === runtime) holder.runtime = undefined;
    },
  };
  return runtime;
}
