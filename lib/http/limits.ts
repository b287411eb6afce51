// The one table of rate limits. Every limit of the app has a name here, and per subject (the client
// address, the signed-in user, an email, a scanner device …) a window and a count. Callers name a limit
// and a subject — `consumeLimit("registration", "ip", address)` — and never write numbers or bucket
// keys themselves, so the web form and the REST endpoint of the same sale cannot drift apart again.
// Counted in PostgreSQL (rate_limit_buckets, lib/rate-limit.ts), shared by every app server, except a
// subject marked `store: "process"` (counted in this process's memory; see check-in below).
// Pure data + key building: imported by lib/rate-limit.ts, the route and action edges and the tests.

export type LimitRule = {
  readonly limit: number;
  readonly windowSeconds: number;
  /** "db" (default): the shared bucket table. "process": this process's memory (a hot per-caller ceiling). */
  readonly store?: "db" | "process";
};

export type LimitSubject = "ip" | "user" | "email" | "device" | "caller" | "token";

export type LimitEntry = {
  /** One rule per subject the limit counts (a request may be counted under several). */
  readonly rules: Partial<Record<LimitSubject, LimitRule>>;
  /** The message key of the RATE_LIMITED error (default errors.rateLimited). */
  readonly message?: string;
};

const rule = (limit: number, windowSeconds: number, store?: "process"): LimitRule => (store ? { limit, windowSeconds, store } : { limit, windowSeconds });

const MINUTE = 60;

/** A positive integer from the environment (read once, at load), else `fallback`: lib/env.ts documents and checks the names. */
function envLimit(name: string, fallback: number): number {
  const value = Number(typeof process === "undefined" ? undefined : process.env?.[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
const HOUR = 60 * MINUTE;

export const LIMITS = {
  /** Sign-in attempts per address (on top of the 5-failure lockout per account) and per email, known or not. */
  "sign-in": { rules: { ip: rule(10, MINUTE), email: rule(10, 15 * MINUTE) }, message: "account.errors.signInLimited" },
  /** New accounts per client address. */
  "sign-up": { rules: { ip: rule(5, HOUR) }, message: "account.errors.signUpLimited" },
  /** "Forgot password" per email and per address (each may send a mail). */
  "password-reset": { rules: { ip: rule(10, HOUR), email: rule(3, HOUR) }, message: "account.errors.resetLimited" },
  /** Password changes per user (each checks the current password): no brute force from a stolen session. */
  "password-change": { rules: { user: rule(5, 15 * MINUTE) }, message: "account.errors.passwordChangeLimited" },
  /** "Send a new verification link" per user (each sends a mail). */
  "verify-resend": { rules: { user: rule(3, HOUR) }, message: "account.errors.resendLimited" },
  /**
   * One sale attempt — the register form (server action) and POST /api/v1/…/registrations alike. Per
   * address generous enough for a venue behind one NAT during a rush; per signed-in user a person
   * registers once, so 20 a minute is only retries.
   */
  registration: { rules: { ip: rule(120, MINUTE), user: rule(20, MINUTE) } },
  /** Guest cancellations through the private ticket link (the token is the credential: keeps guessing away). */
  "registration.cancel.guest": { rules: { ip: rule(30, 10 * MINUTE) } },
  /** Joining the waitlist per user. */
  "waitlist.join": { rules: { user: rule(20, MINUTE) } },
  /** Claiming a waitlist offer per user (a sale). */
  "waitlist.claim": { rules: { user: rule(30, MINUTE) } },
  /** Telegram bot sign-in: starts per address, and status polls (one every 2 s is 30 a minute). */
  "telegram-bot-login.start": { rules: { ip: rule(10, 10 * MINUTE) } },
  "telegram-bot-login.status": { rules: { ip: rule(120, MINUTE) } },
  /** Door-staff link redemptions per address (a token has 256 random bits: this keeps scanners of the route away). */
  "checkin.redeem": { rules: { ip: rule(60, MINUTE) } },
  /**
   * Failed group-code lookups per address (the /g/<code> preview and every join by code). Only failures
   * count, so a room on one Wi-Fi opening the same valid link is never limited.
   */
  "group-code.failed": { rules: { ip: rule(30, 10 * MINUTE) }, message: "groups.errors.codeAttemptsLimited" },
  /**
   * Failed promo-code checks per address ("Have a code?" on the register page and a sale with a code that
   * does not exist): keeps guessing of codes (which unlock hidden ticket types) away. Only failures count.
   */
  "promo-code.failed": { rules: { ip: rule(20, 10 * MINUTE) }, message: "promo.errors.attemptsLimited" },
  /**
   * Check-in API requests: per (caller, device) — a door scanner makes ~1 scan a second at its busiest
   * plus a counters poll every few seconds, 600/min leaves ample room; counted in the access statement
   * of the request itself (one round trip). On top a per-caller ceiling (ten phones on one link) kept in
   * this process's memory: a shared row per caller would be a hot row every scan of the door waits on.
   */
  checkin: { rules: { device: rule(600, MINUTE), caller: rule(6000, MINUTE, "process") } },
  /** The organizer's CSV export per user. */
  "registrations.csv": { rules: { user: rule(30, MINUTE) } },
  /** Image uploads per user. */
  "media-upload": { rules: { user: rule(30, 10 * MINUTE) } },
  /** Organization requests per user (verified users only). */
  "org-request": { rules: { user: rule(5, HOUR) }, message: "organizations.errors.rateLimited" },
  /** Slug availability checks of the organization request form, per user. */
  "org-slug-check": { rules: { user: rule(120, MINUTE) }, message: "organizations.errors.slugCheckRateLimited" },
  /** "Pay": starting (or resuming) a checkout, per address and per signed-in user (each may call the provider). */
  "payment.checkout": { rules: { ip: rule(60, MINUTE), user: rule(20, MINUTE) } },
  /** The return page's status polls (one every 2 s is 30 a minute), per address. */
  "payment.status": { rules: { ip: rule(240, MINUTE) } },
  /**
   * Provider webhooks per organization (subject "caller" = the organization id of the URL). Generous: a
   * sale of a thousand paid tickets in a minute brings two or three events each, and a refused delivery
   * only delays confirmations (providers retry); a forged one costs a signature check or one re-read.
   */
  "payment.webhook": { rules: { caller: rule(20_000, MINUTE) } },
  /** Card submissions on the demo checkout page per address (no money moves; keeps scripted floods away). */
  "payments.demo": { rules: { ip: rule(60, MINUTE) } },
  /** "Test connection" of a payment account per user: each is a request to the provider with the organization's keys. */
  "payments.test-connection": { rules: { user: rule(10, 5 * MINUTE) } },
  /** The organizer's payments CSV export per user. */
  "payments.csv": { rules: { user: rule(30, MINUTE) } },
  /** The notification template editor's email preview (rendered on the server as it is typed). */
  "templates.preview": { rules: { user: rule(120, MINUTE) } },
  /**
   * The mute link /m/<token> and its one-click POST /api/messages/mute/<token> (RFC 8058) per address: the
   * token is signed, so this only keeps scripted floods and token guessing away.
   */
  "messages.mute": { rules: { ip: rule(30, 10 * MINUTE) } },
  /** The composer's live recipient counts and previews per user (debounced typing, a few a second at most). */
  "messages.compose": { rules: { user: rule(240, MINUTE) } },
  /** Organizer messages created or cancelled per user. */
  "messages.write": { rules: { user: rule(30, MINUTE) } },
  /**
   * Page-view beacons of the public event pages per address (a view and a form opening per page at most:
   * 120 a minute leaves a venue behind one NAT room). Counted in this process's memory: a shared bucket
   * row would be a database write per view, the very thing the beacon's in-memory counting avoids.
   */
  "analytics.beacon": { rules: { ip: rule(120, MINUTE, "process") } },
  /** The analytics exports (CSV per dataset, the XLSX workbook) per user: each streams a whole event. */
  "analytics.export": { rules: { user: rule(20, 10 * MINUTE) } },
  /**
   * REST API v1 per token (lib/api/tokens.ts counts it in the statement that authenticates the token;
   * lib/http/api-route.ts answers RateLimit-* headers): reads (GET) and writes (everything else).
   * API_RATE_LIMIT_READ / API_RATE_LIMIT_WRITE raise them (a benchmark, a trusted integration).
   */
  "api.read": { rules: { token: rule(envLimit("API_RATE_LIMIT_READ", 600), MINUTE) }, message: "api.errors.rateLimited" },
  "api.write": { rules: { token: rule(envLimit("API_RATE_LIMIT_WRITE", 120), MINUTE) }, message: "api.errors.rateLimited" },
} as const satisfies Record<string, LimitEntry>;

export type LimitName = keyof typeof LIMITS;

/** The subjects a named limit counts. */
export type SubjectOf<N extends LimitName> = keyof (typeof LIMITS)[N]["rules"] & LimitSubject;

export function isLimitName(value: string): value is LimitName {
  return Object.prototype.hasOwnProperty.call(LIMITS, value);
}

/** The rule of one subject of a named limit (throws for a subject the limit does not count: a programming error). */
export function limitRule<N extends LimitName>(name: N, subject: SubjectOf<N>): LimitRule {
  const found = (LIMITS[name].rules as Partial<Record<LimitSubject, LimitRule>>)[subject];
  if (!found) throw new Error(`rate limit "${name}" has no "${String(subject)}" rule`);
  return found;
}

/** The RATE_LIMITED message key of a named limit. */
export function limitMessage(name: LimitName): string {
  return (LIMITS[name] as LimitEntry).message ?? "errors.rateLimited";
}

/** The bucket key of one subject: `<name>:<subject>:<value>` (e.g. `registration:ip:203.0.113.7`). */
export function limitKey<N extends LimitName>(name: N, subject: SubjectOf<N>, value: string): string {
  return `${name}:${String(subject)}:${value}`;
}

/** The key prefix of a subject, for statements that append the value in SQL (the session statement). */
export function limitKeyPrefix<N extends LimitName>(name: N, subject: SubjectOf<N>): string {
  return `${name}:${String(subject)}:`;
}
