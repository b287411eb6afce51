// The one typed, validated environment. Every setting is documented in .env.example.
// validateEnv() runs when the server starts (instrumentation.ts) and names every missing or invalid
// variable; the app refuses to start rather than fail later.
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.string().url().optional());

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().url({ message: "must be a postgresql:// connection string" }),
    AUTH_SECRET: z.string().optional(),
    AUTH_TRUST_HOST: bool,
    APP_URL: z.string().url().default("http://localhost:3000"),
    /**
     * Where the app's own processes reach its web processes (the worker's revalidation requests:
     * lib/public/revalidate.ts). Default APP_URL; npm start's supervisor sets http://127.0.0.1:<PORT>; in
     * compose the load balancer's service (http://lb). docs/deployment.md.
     */
    INTERNAL_APP_URL: optionalUrl,
    DEFAULT_LOCALE: z.enum(["ru", "en"]).default("ru"),
    SMTP_URL: optionalUrl,
    MAIL_FROM: z.string().default("AqStream <no-reply@aqstream.local>"),
    /** "1" → the dev mailbox /dev/mail (the mail_outbox rows) is served in production too (e2e server). */
    DEV_MAILBOX: bool,
    /**
     * Client addresses never limited per IP (per-email and per-user limits still apply), comma-separated,
     * written as the server resolves them (127.0.0.1, ::1, dev-local under `next dev`). Explicit only:
     * unset, empty or "none" → nobody is exempt, loopback included (lib/http/client-address.ts).
     */
    RATE_LIMIT_EXEMPT_IPS: z.string().optional(),
    /** REST API v1 requests per token per minute: reads (default 600) and writes (default 120). Read by lib/http/limits.ts. */
    API_RATE_LIMIT_READ: z.coerce.number().int().min(1).optional(),
    API_RATE_LIMIT_WRITE: z.coerce.number().int().min(1).optional(),
    /**
     * Which proxies in front of the app may name the client in X-Forwarded-For: unset/0 → none (the
     * connection's address); a hop count; or a list of addresses / CIDR ranges (loopback, private,
     * linklocal). Read per request by scripts/server.mjs (scripts/lib/client-address.mjs), which refuses
     * to start on a bad value; the app sees only the result (x-aq-client-ip).
     */
    TRUSTED_PROXIES: z.string().optional(),
    // Telegram transport and background jobs (docs/notifications.md, docs/jobs.md).
    /** Bot token from @BotFather; unset → notifications wait (PENDING) until it is configured. */
    TELEGRAM_BOT_TOKEN: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, { message: "must be a bot token like 123456:ABC-DEF… (from @BotFather)" }).optional()),
    /** Bot API origin; default https://api.telegram.org (tests point it at tests/fakes/telegram-bot-api.ts). */
    TELEGRAM_API_ROOT: optionalUrl,
    /** Inngest Cloud keys: both set → jobs run on Inngest (outbox relay); unset → the embedded runner. */
    INNGEST_EVENT_KEY: z.string().trim().optional().transform((v) => (v ? v : undefined)),
    INNGEST_SIGNING_KEY: z.string().trim().optional().transform((v) => (v ? v : undefined)),
    /** Self-hosted / dev Inngest server: INNGEST_DEV=1 together with INNGEST_BASE_URL. */
    INNGEST_DEV: z.string().trim().optional().transform((v) => (v ? v : undefined)),
    INNGEST_BASE_URL: optionalUrl,
    /**
     * What this process does (docs/deployment.md): "web" serves requests and runs no background work;
     * "worker" runs the job runner / outbox relay, the crons and the Telegram transport, and serves only
     * /api/health; "all" does both (npm run dev, tests, a single process). `npm start` runs a supervisor
     * (scripts/cluster.mjs) that starts WEB_CONCURRENCY web processes and one worker and sets this itself.
     */
    SERVER_ROLE: z.enum(["web", "worker", "all"]).default("all"),
    /** "1" → this instance runs no background work (no runner, no relay): e.g. extra web-only instances. */
    JOBS_DISABLED: bool,
    /** Embedded runner: poll interval, parallel jobs per instance, lock lease, retry backoff base. */
    JOBS_POLL_MS: z.coerce.number().int().min(50).default(1000),
    JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    JOBS_LOCK_MS: z.coerce.number().int().min(1000).default(300_000),
    JOBS_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(15_000),
    /** Online payments (docs/payments.md "Holding the seat"): "Pay" extends the hold and the checkout to now + this many minutes. */
    PAYMENTS_CHECKOUT_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(30),
    /** First retry delay of a notification after a transient Telegram failure (doubles each time). */
    NOTIFICATIONS_RETRY_BASE_MS: z.coerce.number().int().min(1).default(10_000),
    /** Telegram sends per second across the process (all senders; lib/telegram/api.ts limiter). Telegram allows about 30. */
    TELEGRAM_MAX_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(30),
    /** Telegram sends per second to one chat (Telegram allows about 1). */
    TELEGRAM_MAX_PER_CHAT_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1),
    /** Organizer messages: emails of one message in flight at once (lib/messages/send.ts). */
    MESSAGES_EMAIL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    // Telegram bot (docs/telegram.md). Username without "@"; never hard-coded in the app.
    TELEGRAM_BOT_USERNAME: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v.replace(/^@/, "") : undefined))
      .pipe(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, { message: "must be the bot's username, e.g. AqStreamBot" }).optional()),
    /** Public base URL (https://…) → webhook mode at <url>/api/telegram/webhook; unset → long polling. */
    TELEGRAM_WEBHOOK_URL: optionalUrl,
    /** Secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token (1–256 of A-Z a-z 0-9 _ -). */
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, { message: "must be 1–256 characters of A-Z a-z 0-9 _ -" }).optional()),
    /**
     * Keys encrypting payment providers' credentials at rest (docs/payments.md → "Keys"):
     * "id:base64(32 bytes),id2:…" — the first encrypts, all decrypt. Unset: derived from AUTH_SECRET in
     * development, tests and on the embedded database; in production saving real credentials is refused.
     */
    PAYMENTS_ENCRYPTION_KEYS: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine(
        (v) =>
          v === undefined ||
          v.split(",").every((entry) => {
            const [id, key, extra] = entry.trim().split(":");
            return extra === undefined && /^[A-Za-z0-9_-]{1,32}$/.test(id ?? "") && id !== "authsecret" && Buffer.from(key ?? "", "base64").length === 32;
          }),
        { message: 'must be "id:base64,id2:base64" with keys of 32 random bytes (openssl rand -base64 32)' },
      ),
    // Media storage (docs/media.md).
    /** Folder of uploaded images on local disk (served at /media/…). Default .data/media (relative to the app). */
    MEDIA_DIR: z.string().trim().optional().transform((v) => (v ? v : ".data/media")),
    /** UploadThing API token (base64 JSON from the dashboard) → uploads go to UploadThing instead of MEDIA_DIR. */
    UPLOADTHING_TOKEN: z.string().trim().optional().transform((v) => (v ? v : undefined)),
    /** Base64 of a 32-byte Ed25519 seed signing ticket QR codes; unset → derived from AUTH_SECRET. */
    TICKET_SIGNING_KEY: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || Buffer.from(v, "base64").length === 32, {
        message: "must be base64 of 32 random bytes (openssl rand -base64 32)",
      }),
    // Payment providers (lib/payments/providers, docs/payments.md → "Providers").
    /** YooKassa API v3 base URL (tests point it at tests/fakes/yookassa-api.ts: `<fake>/v3/`). */
    YOOKASSA_API_URL: optionalUrl.transform((v) => v ?? "https://api.yookassa.ru/v3/"),
    /**
     * Extra senders allowed to post YooKassa notifications besides YooKassa's published ranges: comma
     * list of addresses / CIDR ranges (tests: 127.0.0.1). Empty → only YooKassa's own ranges.
     */
    YOOKASSA_WEBHOOK_IPS: z.string().optional(),
    /** Stripe API origin (tests point it at tests/fakes/stripe-api.ts); the SDK adds /v1/. */
    STRIPE_API_URL: optionalUrl.transform((v) => v ?? "https://api.stripe.com"),
    /** How long one provider API call may take before its outcome counts as unknown (retried with the same key). */
    PAYMENTS_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
    /**
     * The built-in demo provider (no money moves): "1" on, "0" off; unset → on only on the embedded
     * database (`npm start` with nothing configured sets AQ_EMBEDDED_DB=1) and under NODE_ENV=test.
     */
    PAYMENTS_DEMO: z.enum(["1", "0", ""]).optional(),
    /** Set by npm start / npm run dev when they run the embedded PostgreSQL. Not a setting. */
    AQ_EMBEDDED_DB: z.enum(["1", "0", ""]).optional(),
    /** Demo card 4000 0000 0000 0259: how long the payment stays pending before it succeeds. */
    PAYMENTS_DEMO_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
    /** Hours a PENDING registration (paid type without a reservation timer) has to pay; capped at the event's start (docs/payments.md). */
    PAYMENTS_PENDING_HOURS: z.coerce.number().int().min(1).max(8760).default(72),
    // Outbound webhooks (lib/webhooks, docs/webhooks.md).
    /** "1": webhook URLs may point at private, loopback and link-local addresses (tests, a receiver on this machine). Never in production. */
    WEBHOOKS_ALLOW_PRIVATE_URLS: z.enum(["1", "0", ""]).optional(),
    /** "1": plain http:// webhook URLs are accepted in production too (https is required there otherwise). */
    WEBHOOKS_ALLOW_HTTP: z.enum(["1", "0", ""]).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["TELEGRAM_WEBHOOK_SECRET"],
        message: "is required with TELEGRAM_WEBHOOK_URL: the webhook refuses requests without it (generate one: openssl rand -hex 32)",
      });
    }
    const badSender = (env.YOOKASSA_WEBHOOK_IPS ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .find((entry) => !/^(\d{1,3}(\.\d{1,3}){3}(\/([0-9]|[12]\d|3[0-2]))?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?)$/.test(entry));
    if (badSender) {
      ctx.addIssue({
        code: "custom",
        path: ["YOOKASSA_WEBHOOK_IPS"],
        message: `"${badSender}" is not an IP address or a CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, 2001:db8::/32)`,
      });
    }
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "must start with postgresql://" });
    }
  });

/** Checks that do not depend on the rest parsing, so every problem is named in one go. */
function productionProblems(source: Record<string, string | undefined>): string[] {
  if ((source.NODE_ENV ?? "development") !== "production") return [];
  const secret = source.AUTH_SECRET;
  if (!secret) return ["AUTH_SECRET is required in production: it signs session cookies (generate one: openssl rand -base64 32)"];
  if (secret.length < 32) return ["AUTH_SECRET must be at least 32 characters in production (generate one: openssl rand -base64 32)"];
  return [];
}

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every setting.`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "(env)"} ${i.message}`)),
    ...productionProblems(source),
  ];
  if (problems.length > 0 || !result.success) throw new EnvError(problems);
  return result.data;
}

let cached: Env | undefined;

/** The validated environment (parsed once per process). */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Called at server start: throws EnvError naming every problem. */
export function validateEnv(): Env {
  cached = parseEnv();
  return cached;
}

/** Development fallback so `npm run dev` works without configuration; production requires AUTH_SECRET. */
export function authSecret(): string {
  const e = env();
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production") throw new EnvError(["AUTH_SECRET is required in production"]);
  return "aqstream-development-secret-not-for-production-use";
}
