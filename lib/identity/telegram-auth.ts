// Sign-in with Telegram, both ways:
//
// (a) Login Widget (desktop): the browser receives a payload signed by Telegram; we check its
//     HMAC-SHA256 (key = SHA-256 of the bot token) in constant time, its age (≤ 1 h, ≤ 60 s in the
//     future) and that it was never used before (its hash goes into telegram_widget_logins).
// (b) Bot deep link (phones): startBotLogin() issues a random token (only its SHA-256 is stored) and
//     the link t.me/<bot>?start=login_<token>; the bot asks to confirm with an inline button whose
//     callback carries the token row id (never the token); the browser polls getBotLoginStatus() and
//     then consumes the token exactly once (conditional update) to sign in.
//
// The first Telegram contact that needs an account (widget sign-in, confirming a bot login, accepting
// an invite in the bot) creates it: upsertTelegramUser() is one INSERT … ON CONFLICT on the partial
// unique index users_telegram_id_active_key, so parallel first contacts create one user, and the
// welcome message is queued (notify) in the same transaction.
import "server-only";
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { db, type Prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { fromDbLocale, type Locale } from "@/lib/i18n/config";
import { kick } from "@/lib/jobs";
import { notify } from "@/lib/notifications";
import { botDeepLink, requireTelegramConfigured } from "@/lib/telegram";
import { errorKey, localeFromLanguageCode } from "@/lib/telegram/texts";
import { isUuid } from "@/lib/validation/ids";

// ───────────────────────────── shared ─────────────────────────────

/** A Telegram account as the bot or the widget reports it (ids as strings: they exceed 2^31). */
export type TelegramProfile = {
  id: string;
  firstName: string;
  lastName: string | null;
  username: string | null;
  photoUrl: string | null;
  languageCode: string | null;
};

/** What an Auth.js `authorize` returns (the lead's sessionCredentialsProvider needs `id`). */
export type TelegramAuthUser = { id: string; name: string; email: string | null; image: string | null };

export type TelegramUserRow = {
  id: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  avatarUrl: string | null;
  locale: Locale;
};

const USER_SELECT = { id: true, firstName: true, lastName: true, email: true, avatarUrl: true, locale: true } as const;

/** 32 random bytes, base64url without padding. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** A fresh one-time token: 32 random bytes, base64url (43 characters). */
export function newOneTimeToken(): string {
  return randomBytes(32).toString("base64url");
}

export function isOneTimeToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN_RE.test(value);
}

function clean(value: unknown, max: number): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const s = String(value).trim();
  return s ? s.slice(0, max) : null;
}

/** A Telegram `User` object (bot updates) → profile. */
export function profileFromTelegramUser(from: {
  id: number | string;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  photo_url?: string;
}): TelegramProfile {
  const username = clean(from.username, 64);
  const photo = clean(from.photo_url, 500);
  return {
    id: String(from.id),
    firstName: clean(from.first_name, 100) ?? username ?? "Telegram",
    lastName: clean(from.last_name, 100),
    username,
    photoUrl: photo && /^https:\/\//i.test(photo) ? photo : null,
    languageCode: clean(from.language_code, 16),
  };
}

function toUserRow(u: { id: string; firstName: string; lastName: string | null; email: string | null; avatarUrl: string | null; locale: string }): TelegramUserRow {
  return { ...u, locale: fromDbLocale(u.locale) };
}

export function toAuthUser(u: { id: string; firstName: string; lastName: string | null; email: string | null; avatarUrl: string | null }): TelegramAuthUser {
  return { id: u.id, name: [u.firstName, u.lastName].filter(Boolean).join(" "), email: u.email, image: u.avatarUrl };
}

/** The active (not deleted) user with this Telegram id, if any. */
export async function findUserByTelegramId(telegramId: string | number, tx: Prisma.TransactionClient | typeof db = db): Promise<TelegramUserRow | null> {
  const user = await tx.user.findFirst({ where: { telegramId: String(telegramId), deletedAt: null }, select: USER_SELECT });
  return user ? toUserRow(user) : null;
}

/**
 * Finds the active user of a Telegram account or creates it (first contact = sign-up), inside `tx`.
 * A new user gets names, username, avatar (photo_url), chat id and the locale of `language_code`,
 * and `user.welcome` is queued through notify() in the same transaction. An existing user gets the
 * current username and chat id. `signIn` also stamps last_login_at.
 */
export async function upsertTelegramUser(
  tx: Prisma.TransactionClient,
  { profile, chatId, signIn = false, now = new Date() }: { profile: TelegramProfile; chatId?: string | number | null; signIn?: boolean; now?: Date },
): Promise<{ user: TelegramUserRow; created: boolean }> {
  const chat = chatId === undefined || chatId === null ? null : String(chatId);
  const locale = localeFromLanguageCode(profile.languageCode) === "en" ? "EN" : "RU";
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "users" ("id", "telegram_id", "telegram_chat_id", "telegram_username", "first_name", "last_name",
                         "avatar_url", "locale", "last_login_at", "created_at", "updated_at")
    VALUES (${randomUUID()}::uuid, ${profile.id}, ${chat}, ${profile.username}, ${profile.firstName}, ${profile.lastName},
            ${profile.photoUrl}, ${locale}::"Locale", ${signIn ? now : null}, ${now}, ${now})
    ON CONFLICT ("telegram_id") WHERE "deleted_at" IS NULL DO NOTHING
    RETURNING "id"`;

  if (inserted.length === 1) {
    const userId = inserted[0].id;
    await notify(tx, {
      userId,
      templateCode: "user.welcome",
      variables: { firstName: profile.firstName, appUrl: `${env().APP_URL.replace(/\/+$/, "")}/dashboard` },
      dedupeKey: `user.welcome:${userId}`,
    });
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: USER_SELECT });
    return { user: toUserRow(user), created: true };
  }

  const existing = await tx.user.findFirst({ where: { telegramId: profile.id, deletedAt: null }, select: { ...USER_SELECT } });
  if (!existing) throw new Error("telegram user vanished between insert and read");
  const updated = await tx.user.update({
    where: { id: existing.id },
    data: {
      telegramUsername: profile.username,
      ...(chat ? { telegramChatId: chat } : {}),
      ...(signIn ? { lastLoginAt: now } : {}),
      ...(!existing.avatarUrl && profile.photoUrl ? { avatarUrl: profile.photoUrl } : {}),
    },
    select: USER_SELECT,
  });
  return { user: toUserRow(updated), created: false };
}

// ───────────────────────────── (a) Login Widget ─────────────────────────────

export const WIDGET_MAX_AGE_SECONDS = 3600;
export const WIDGET_FUTURE_SKEW_SECONDS = 60;

export type TelegramWidgetData = Record<string, unknown>;

export type WidgetCheck =
  | { ok: true; profile: TelegramProfile; authDate: Date; hash: string }
  | { ok: false; reason: "malformed" | "bad_hash" | "expired" | "future" };

/**
 * Pure check of a Login Widget payload (https://core.telegram.org/widgets/login#checking-authorization):
 * data-check-string = every received field except `hash`, sorted, "key=value" joined by "\n";
 * hash = hex HMAC-SHA256(data-check-string, key = SHA-256(bot token)).
 */
export function checkTelegramWidgetData(
  data: TelegramWidgetData,
  {
    botToken,
    now = new Date(),
    maxAgeSeconds = WIDGET_MAX_AGE_SECONDS,
    futureSkewSeconds = WIDGET_FUTURE_SKEW_SECONDS,
  }: { botToken: string; now?: Date; maxAgeSeconds?: number; futureSkewSeconds?: number },
): WidgetCheck {
  if (!data || typeof data !== "object") return { ok: false, reason: "malformed" };
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" && typeof value !== "number") return { ok: false, reason: "malformed" };
    if (!/^[a-z_]{1,32}$/.test(key)) return { ok: false, reason: "malformed" };
    fields[key] = String(value);
  }
  const hash = fields.hash;
  delete fields.hash;
  if (!hash || !/^[0-9a-f]{64}$/i.test(hash)) return { ok: false, reason: "malformed" };
  if (!fields.id || !/^\d{1,20}$/.test(fields.id)) return { ok: false, reason: "malformed" };
  if (!fields.auth_date || !/^\d{1,12}$/.test(fields.auth_date)) return { ok: false, reason: "malformed" };

  const dataCheckString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join("\n");
  const secretKey = createHash("sha256").update(botToken).digest();
  const expected = createHmac("sha256", secretKey).update(dataCheckString).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, "hex"))) return { ok: false, reason: "bad_hash" };

  const authDate = Number(fields.auth_date);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (authDate > nowSeconds + futureSkewSeconds) return { ok: false, reason: "future" };
  if (nowSeconds - authDate > maxAgeSeconds) return { ok: false, reason: "expired" };

  return {
    ok: true,
    profile: profileFromTelegramUser({
      id: fields.id,
      first_name: fields.first_name,
      last_name: fields.last_name,
      username: fields.username,
      photo_url: fields.photo_url,
    }),
    authDate: new Date(authDate * 1000),
    hash: hash.toLowerCase(),
  };
}

function botToken(): string {
  requireTelegramConfigured();
  return env().TELEGRAM_BOT_TOKEN!;
}

/**
 * Verifies a Login Widget payload and signs the Telegram user in: finds or creates the user.
 * Forged, expired, future-dated or replayed payloads → AppError UNAUTHENTICATED, nothing written.
 */
export async function verifyTelegramWidget(
  data: TelegramWidgetData,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ user: TelegramUserRow; created: boolean }> {
  const check = checkTelegramWidgetData(data, { botToken: botToken(), now });
  if (!check.ok) {
    throw new AppError("UNAUTHENTICATED", errorKey(check.reason === "expired" || check.reason === "future" ? "telegramWidgetExpired" : "telegramWidgetInvalid"));
  }
  const result = await db.$transaction(async (tx) => {
    // Replay protection: the first use inserts the hash; any later one inserts nothing.
    const { count } = await tx.telegramWidgetLogin.createMany({ data: [{ hash: check.hash, createdAt: now }], skipDuplicates: true });
    if (count !== 1) throw new AppError("UNAUTHENTICATED", errorKey("telegramWidgetReplayed"));
    return upsertTelegramUser(tx, { profile: check.profile, chatId: check.profile.id, signIn: true, now });
  });
  if (result.created) kick(); // the welcome message was queued: deliver it now
  return result;
}

/** Fields Auth.js adds to a credentials POST; they are not part of the signed widget payload. */
const AUTHJS_FIELDS = new Set(["csrfToken", "callbackUrl", "redirect", "redirectTo", "json"]);

/** Auth.js `authorize` for the "telegram-widget" provider: the user, or null (→ CredentialsSignin). */
export async function authorizeTelegramWidget(credentials: Record<string, unknown> | undefined | null): Promise<TelegramAuthUser | null> {
  const data: TelegramWidgetData = {};
  // Also drop React's server-action form fields ($ACTION_…) in case a <form> is passed to signIn().
  for (const [key, value] of Object.entries(credentials ?? {})) if (!AUTHJS_FIELDS.has(key) && !key.startsWith("$")) data[key] = value;
  try {
    const { user } = await verifyTelegramWidget(data);
    return toAuthUser(user);
  } catch (e) {
    if (isAppError(e)) return null;
    throw e;
  }
}

// ───────────────────────────── (b) Bot deep link ─────────────────────────────

export const BOT_LOGIN_TTL_MS = 5 * 60 * 1000;

export type BotLoginStatus = "pending" | "confirmed" | "expired" | "used";

type BotLoginPayload = {
  device?: string | null;
  ip?: string | null;
  /** Telegram id of whoever opened the link in the bot last: only they may confirm. */
  requestedBy?: string;
  telegramId?: string;
  telegramUsername?: string | null;
};

function payloadOf(value: Prisma.JsonValue): BotLoginPayload {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as BotLoginPayload) : {};
}

function statusOf(row: { usedAt: Date | null; confirmedAt: Date | null; expiresAt: Date }, now: Date): BotLoginStatus {
  if (row.usedAt) return "used";
  if (row.expiresAt <= now) return "expired";
  if (row.confirmedAt) return "confirmed";
  return "pending";
}

/** "Chrome on Windows" from a user agent (shown in the bot so people see which device asks). */
export function describeUserAgent(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent;
  const browser = /YaBrowser\//.test(ua)
    ? "Yandex Browser"
    : /Edg\//.test(ua)
      ? "Edge"
      : /OPR\/|Opera/.test(ua)
        ? "Opera"
        : /Firefox\//.test(ua)
          ? "Firefox"
          : /Chrome\/|CriOS\//.test(ua)
            ? "Chrome"
            : /Safari\//.test(ua)
              ? "Safari"
              : null;
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Android/.test(ua)
      ? "Android"
      : /iPhone|iPad|iPod/.test(ua)
        ? "iOS"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : null;
  if (browser && os) return `${browser}, ${os}`;
  return browser ?? os ?? null;
}

/**
 * Starts a bot sign-in: a token valid 5 minutes (only its SHA-256 is stored) and the deep link
 * https://t.me/<bot>?start=login_<token>. `meta` (the browser's user agent) is shown in the bot.
 */
export async function startBotLogin(
  meta: { userAgent?: string | null; ip?: string | null } = {},
  { now = new Date() }: { now?: Date } = {},
): Promise<{ token: string; url: string; expiresAt: Date }> {
  requireTelegramConfigured();
  const token = newOneTimeToken();
  const url = await botDeepLink(`login_${token}`);
  const expiresAt = new Date(now.getTime() + BOT_LOGIN_TTL_MS);
  const payload: BotLoginPayload = { device: describeUserAgent(meta.userAgent), ip: meta.ip?.slice(0, 64) ?? null };
  await db.authToken.create({ data: { type: "TELEGRAM_LOGIN", tokenHash: sha256Hex(token), expiresAt, payload, createdAt: now } });
  return { token, url, expiresAt };
}

/** pending | confirmed | expired | used (an unknown token reads as expired). */
export async function getBotLoginStatus(token: string, { now = new Date() }: { now?: Date } = {}): Promise<BotLoginStatus> {
  if (!isOneTimeToken(token)) return "expired";
  const row = await db.authToken.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: { type: true, usedAt: true, confirmedAt: true, expiresAt: true },
  });
  if (!row || row.type !== "TELEGRAM_LOGIN") return "expired";
  return statusOf(row, now);
}

/**
 * Bot side of /start login_<token>: what the token stands for, and binds it to the Telegram user
 * who opened it (only they can confirm). Never throws for a bad token: the status says why.
 */
export async function openBotLogin({
  token,
  telegramId,
  now = new Date(),
}: {
  token: string;
  telegramId: string;
  now?: Date;
}): Promise<{ status: BotLoginStatus | "invalid"; tokenId: string | null; device: string | null }> {
  if (!isOneTimeToken(token)) return { status: "invalid", tokenId: null, device: null };
  const row = await db.authToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!row || row.type !== "TELEGRAM_LOGIN") return { status: "invalid", tokenId: null, device: null };
  const status = statusOf(row, now);
  const payload = payloadOf(row.payload);
  if (status === "pending") {
    await db.authToken.updateMany({
      where: { id: row.id, confirmedAt: null, usedAt: null },
      data: { payload: { ...payload, requestedBy: telegramId } },
    });
  }
  return { status, tokenId: row.id, device: payload.device ?? null };
}

/**
 * Bot side of the confirm button (callback data carries the token row id): records the Telegram
 * user on the token (confirmedAt, payload), creating the user if new, in one transaction. A second
 * tap by the same Telegram user is answered like the first (alreadyConfirmed).
 * Errors (AppError): NOT_FOUND telegramLoginInvalid; UNAUTHENTICATED telegramLoginExpired |
 * telegramLoginUsed | telegramLoginOtherAccount.
 */
export async function confirmBotLogin({
  tokenId,
  telegram,
  chatId,
  now = new Date(),
}: {
  tokenId: string;
  telegram: TelegramProfile;
  chatId?: string | number | null;
  now?: Date;
}): Promise<{ user: TelegramUserRow; created: boolean; alreadyConfirmed: boolean }> {
  const invalid = () => new AppError("NOT_FOUND", errorKey("telegramLoginInvalid"));
  if (!isUuid(tokenId)) throw invalid();
  const result = await db.$transaction(async (tx) => {
    const row = await tx.authToken.findUnique({ where: { id: tokenId } });
    if (!row || row.type !== "TELEGRAM_LOGIN") throw invalid();
    const payload = payloadOf(row.payload);
    const status = statusOf(row, now);
    if (status === "confirmed" || status === "used") {
      if (status === "confirmed" && payload.telegramId === telegram.id) {
        const user = await findUserByTelegramId(telegram.id, tx);
        if (user) return { user, created: false, alreadyConfirmed: true };
      }
      throw new AppError("UNAUTHENTICATED", errorKey("telegramLoginUsed"));
    }
    if (status === "expired") throw new AppError("UNAUTHENTICATED", errorKey("telegramLoginExpired"));
    if (payload.requestedBy && payload.requestedBy !== telegram.id) {
      throw new AppError("UNAUTHENTICATED", errorKey("telegramLoginOtherAccount"));
    }

    const { user, created } = await upsertTelegramUser(tx, { profile: telegram, chatId });
    const { count } = await tx.authToken.updateMany({
      where: { id: row.id, confirmedAt: null, usedAt: null, expiresAt: { gt: now } },
      data: {
        confirmedAt: now,
        userId: user.id,
        payload: { ...payload, telegramId: telegram.id, telegramUsername: telegram.username },
      },
    });
    // Lost a race (another tap, expiry): roll back, including a user created just now.
    if (count !== 1) throw new AppError("UNAUTHENTICATED", errorKey("telegramLoginUsed"));
    return { user, created, alreadyConfirmed: false };
  });
  if (result.created) kick();
  return result;
}

/**
 * Browser side: exchanges a confirmed token for its user, exactly once (conditional update on
 * used_at IS NULL AND confirmed_at IS NOT NULL AND expires_at > now).
 * Errors (AppError UNAUTHENTICATED): telegramLoginInvalid | telegramLoginExpired | telegramLoginUsed |
 * telegramLoginNotConfirmed.
 */
export async function consumeBotLogin(token: string, { now = new Date() }: { now?: Date } = {}): Promise<TelegramUserRow> {
  if (!isOneTimeToken(token)) throw new AppError("UNAUTHENTICATED", errorKey("telegramLoginInvalid"));
  const tokenHash = sha256Hex(token);
  return db.$transaction(async (tx) => {
    const { count } = await tx.authToken.updateMany({
      where: { tokenHash, type: "TELEGRAM_LOGIN", usedAt: null, confirmedAt: { not: null }, expiresAt: { gt: now }, userId: { not: null } },
      data: { usedAt: now },
    });
    const row = await tx.authToken.findUnique({ where: { tokenHash }, select: { type: true, userId: true, usedAt: true, confirmedAt: true, expiresAt: true } });
    if (count !== 1) {
      if (!row || row.type !== "TELEGRAM_LOGIN") throw new AppError("UNAUTHENTICATED", errorKey("telegramLoginInvalid"));
      const status = statusOf(row, now);
      throw new AppError(
        "UNAUTHENTICATED",
        errorKey(status === "used" ? "telegramLoginUsed" : status === "expired" ? "telegramLoginExpired" : "telegramLoginNotConfirmed"),
      );
    }
    const user = await tx.user.findFirst({ where: { id: row!.userId!, deletedAt: null }, select: USER_SELECT });
    if (!user) throw new AppError("UNAUTHENTICATED", errorKey("telegramLoginInvalid"));
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    return toUserRow(user);
  });
}

/** Auth.js `authorize` for the "telegram-bot" provider: the user, or null (→ CredentialsSignin). */
export async function authorizeTelegramBotLogin(credentials: { token?: unknown } | undefined | null): Promise<TelegramAuthUser | null> {
  const token = credentials?.token;
  if (!isOneTimeToken(token)) return null;
  try {
    return toAuthUser(await consumeBotLogin(token));
  } catch (e) {
    if (isAppError(e)) return null;
    throw e;
  }
}

/**
 * Housekeeping for a periodic job: widget hashes past the replay window (kept 24 h) and Telegram
 * login/link tokens expired for more than a day.
 */
export async function purgeTelegramAuthLeftovers(now: Date = new Date()): Promise<{ widgetLogins: number; tokens: number }> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const widget = await db.telegramWidgetLogin.deleteMany({ where: { createdAt: { lt: dayAgo } } });
  const tokens = await db.authToken.deleteMany({ where: { type: { in: ["TELEGRAM_LOGIN", "TELEGRAM_LINK"] }, expiresAt: { lt: dayAgo } } });
  return { widgetLogins: widget.count, tokens: tokens.count };
}
