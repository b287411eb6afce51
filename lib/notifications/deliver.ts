// Delivery of one NotificationLog row through the Telegram Bot API (called by the
// `deliver-notification` job; see docs/notifications.md for the full state machine).
//
// Exactly-once per row, as far as Telegram allows: a delivery first claims the row with one
// conditional UPDATE (status PENDING and next_attempt_at due → attempts+1, next_attempt_at = now +
// lease). Only the claimer sends; a concurrent delivery of the same row finds it claimed and backs
// off. The only window for a duplicate is a crash after Telegram accepted the message and before
// the row was marked SENT (Telegram has no idempotency key), after the lease expired.
import "server-only";
import { db as defaultDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import type { NotificationLog } from "@/lib/generated/prisma/client";
import { retryDelayMs } from "@/lib/jobs";
import {
  getTelegramApi,
  TELEGRAM_CAPTION_LIMIT,
  toTelegramError,
  type SendMessageInput,
  type TelegramApi,
  type TelegramError,
} from "@/lib/telegram";
import type { NotificationButton, NotificationExtra } from "./notify";
import "./photo-resolvers";
import { resolvePhoto, type PhotoSpec } from "./photos";
import { renderTemplate, templateBodyFor, type Locale } from "./render";
import { systemTemplate } from "./system-templates";
import { resolveNoticeVariables } from "./variables";

/** How long a claimed row is reserved for the delivery in progress (> the Telegram request timeout). */
export const DELIVERY_LEASE_MS = 2 * 60_000;
/** Send attempts per notification before it is FAILED (transient errors; 429 waits do not fail it). */
export const NOTIFICATION_MAX_ATTEMPTS = 8;
/** When Telegram is not configured, rows wait this long before the next look. */
export const NOT_CONFIGURED_DELAY_MS = 60 * 60_000;
export const NOT_CONFIGURED_MESSAGE = "Telegram is not configured";
export const NO_CHAT_MESSAGE = "User has no Telegram chat linked";
/**
 * An organizer message whose send had started when its worker stopped (lease expired with
 * send_started_at set): it may have arrived, so it is not sent again — no one gets a message twice.
 */
export const OUTCOME_UNKNOWN_MESSAGE = "Outcome unknown: the worker stopped while sending; not sent again so no one gets it twice";

export type DeliveryOutcome =
  | { status: "sent"; messageId: number }
  | { status: "failed"; reason: string }
  /** Nothing to do here: already delivered/failed, unknown id, or another delivery holds it. */
  | { status: "skipped"; reason: "missing" | "not-pending" | "not-due" }
  /** Telegram not usable (no token / token refused): the row waits; nothing is lost. */
  | { status: "held"; retryAt: string; reason: string }
  /** Try again at retryAt (transient failure, 429, or a lease about to expire). */
  | { status: "retry"; retryAt: string; reason: string };

export interface DeliveryOptions {
  /** Default getTelegramApi(); null = not configured. */
  api?: TelegramApi | null;
  db?: Db;
  now?: Date;
  /** First retry delay after a transient failure (NOTIFICATIONS_RETRY_BASE_MS, default 10 s). */
  retryBaseMs?: number;
  maxAttempts?: number;
}

/** Inline keyboard for extra.buttons in the recipient's language. */
export function inlineKeyboard(buttons: NotificationExtra["buttons"], locale: Locale): SendMessageInput["replyMarkup"] {
  if (!buttons?.length) return undefined;
  const rows = (Array.isArray(buttons[0]) ? buttons : [buttons]) as NotificationButton[][];
  return {
    inline_keyboard: rows.map((row) =>
      row.map((b) => {
        const text = typeof b.text === "string" ? b.text : locale === "EN" ? b.text.en : b.text.ru;
        return "url" in b ? { text, url: b.url } : { text, callback_data: b.callbackData };
      }),
    ),
  };
}

export async function deliverNotification(id: string, options: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const api = options.api === undefined ? getTelegramApi() : options.api;

  if (!api) return hold(db, id, now, NOT_CONFIGURED_MESSAGE);

  // 1. Claim the row: only one delivery of it can be in flight.
  const [row] = await db.notificationLog.updateManyAndReturn({
    where: { id, status: "PENDING", nextAttemptAt: { lte: now } },
    data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + DELIVERY_LEASE_MS) },
  });
  if (!row) return notClaimed(db, id, now);
  if (row.messageId && row.sendStartedAt) return fail(db, row, OUTCOME_UNKNOWN_MESSAGE);

  // 2. Recipient and text.
  if (!row.userId) return fail(db, row, "A Telegram notice needs a user");
  const user = await db.user.findUnique({ where: { id: row.userId }, select: { telegramChatId: true, locale: true, deletedAt: true } });
  if (!user || user.deletedAt) return fail(db, row, "User no longer exists");
  const chatId = user.telegramChatId;
  if (!chatId) return fail(db, row, NO_CHAT_MESSAGE);

  const locale: Locale = user.locale === "EN" ? "EN" : "RU";
  const template =
    (await db.notificationTemplate.findUnique({ where: { code: row.templateCode }, select: { body: true, bodyEn: true } })) ??
    systemTemplate(row.templateCode);
  if (!template) return fail(db, row, `Unknown notification template ${row.templateCode}`, { chatId });

  let text: string;
  try {
    text = renderTemplate(templateBodyFor(template, locale), await resolveNoticeVariables(row, { locale }), locale);
  } catch (error) {
    return fail(db, row, `Template ${row.templateCode} does not render: ${error instanceof Error ? error.message : String(error)}`, { chatId });
  }
  if (!text) return fail(db, row, `Template ${row.templateCode} rendered an empty message`, { chatId });

  const extra = (row.extra ?? {}) as NotificationExtra;
  const replyMarkup = inlineKeyboard(extra.buttons, locale);

  // 3. Send. An organizer message first records that its send started (at most once: see OUTCOME_UNKNOWN_MESSAGE).
  if (row.messageId) await markSendStarted(db, row.id);
  let messageId: number;
  try {
    const photo = extra.photo ? await resolvePhoto(extra.photo as PhotoSpec) : null;
    if (extra.photo && !photo) console.warn(`[notifications] no photo resolver for "${extra.photo.kind}"; sending ${row.id} as text`);
    if (photo) {
      const long = text.length > TELEGRAM_CAPTION_LIMIT;
      const message = await api.sendPhoto({
        chatId,
        photo: photo.data,
        filename: photo.filename,
        contentType: photo.contentType,
        caption: long ? undefined : text,
        replyMarkup: long ? undefined : replyMarkup,
      });
      messageId = message.message_id;
      // Over the caption limit: the photo goes alone and the text follows as a message.
      if (long) messageId = (await api.sendMessage({ chatId, text, replyMarkup, disableLinkPreview: extra.disableLinkPreview })).message_id;
    } else {
      messageId = (await api.sendMessage({ chatId, text, replyMarkup, disableLinkPreview: extra.disableLinkPreview })).message_id;
    }
  } catch (error) {
    return handleSendError(db, row, chatId, text, toTelegramError(error), now, options);
  }

  await db.notificationLog.updateMany({
    where: { id: row.id, status: "PENDING" },
    data: { status: "SENT", sentAt: new Date(), body: text, telegramChatId: chatId, errorMessage: null },
  });
  return { status: "sent", messageId };
}

async function handleSendError(
  db: Db,
  row: NotificationLog,
  chatId: string,
  text: string,
  error: TelegramError,
  now: Date,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  switch (error.kind) {
    case "chat_gone": {
      // The user blocked the bot or the chat no longer exists: forget the chat (only if it is still
      // the one we used) and give up on this message.
      const reason = `Telegram chat is gone: ${error.description}`;
      await db.$transaction([
        db.user.updateMany({ where: { id: row.userId ?? undefined, telegramChatId: chatId }, data: { telegramChatId: null } }),
        db.notificationLog.updateMany({
          where: { id: row.id, status: "PENDING" },
          data: { status: "FAILED", errorMessage: reason, body: text, telegramChatId: chatId },
        }),
      ]);
      return { status: "failed", reason };
    }
    case "rate_limited": {
      // Wait exactly what Telegram asks, then go again (a rate limit is not the message's fault).
      const retryAt = new Date(now.getTime() + (error.retryAfter ?? 5) * 1000);
      const reason = `Rate limited by Telegram, retry after ${error.retryAfter ?? 5} s`;
      await db.notificationLog.updateMany({
        where: { id: row.id, status: "PENDING" },
        data: { nextAttemptAt: retryAt, errorMessage: reason, body: text, sendStartedAt: null },
      });
      return { status: "retry", retryAt: retryAt.toISOString(), reason };
    }
    case "transient": {
      const maxAttempts = options.maxAttempts ?? NOTIFICATION_MAX_ATTEMPTS;
      if (row.attempts >= maxAttempts) return fail(db, row, `Gave up after ${row.attempts} attempts: ${error.description}`, { chatId, body: text });
      const delay = retryDelayMs(row.attempts, { baseMs: options.retryBaseMs ?? env().NOTIFICATIONS_RETRY_BASE_MS, jitter: 0.1 });
      const retryAt = new Date(now.getTime() + delay);
      const reason = `Telegram temporarily unavailable (attempt ${row.attempts}): ${error.description}`;
      await db.notificationLog.updateMany({
        where: { id: row.id, status: "PENDING" },
        data: { nextAttemptAt: retryAt, errorMessage: reason, body: text, sendStartedAt: null },
      });
      return { status: "retry", retryAt: retryAt.toISOString(), reason };
    }
    case "fatal":
    default: {
      if (error.errorCode === 401 || error.errorCode === 404) {
        // The token itself is refused: a configuration problem, not this message's. Hold it.
        const retryAt = new Date(now.getTime() + NOT_CONFIGURED_DELAY_MS);
        const reason = `Telegram refused the bot token (${error.errorCode} ${error.description})`;
        await db.notificationLog.updateMany({
          where: { id: row.id, status: "PENDING" },
          data: { attempts: { decrement: 1 }, nextAttemptAt: retryAt, errorMessage: reason },
        });
        return { status: "held", retryAt: retryAt.toISOString(), reason };
      }
      return fail(db, row, `Telegram refused the message: ${error.description}`, { chatId, body: text });
    }
  }
}

/** Records that the provider is about to be called (organizer messages; cleared when a retry is scheduled). */
export async function markSendStarted(db: Db, id: string): Promise<void> {
  await db.notificationLog.updateMany({ where: { id, status: "PENDING" }, data: { sendStartedAt: new Date() } });
}

export async function fail(db: Db, row: NotificationLog, reason: string, fields: { chatId?: string; body?: string } = {}): Promise<DeliveryOutcome> {
  await db.notificationLog.updateMany({
    where: { id: row.id, status: "PENDING" },
    data: { status: "FAILED", errorMessage: reason, telegramChatId: fields.chatId, body: fields.body },
  });
  return { status: "failed", reason };
}

/** Leaves a due row PENDING for later without counting an attempt (Telegram unusable right now). */
async function hold(db: Db, id: string, now: Date, reason: string): Promise<DeliveryOutcome> {
  const retryAt = new Date(now.getTime() + NOT_CONFIGURED_DELAY_MS);
  const held = await db.notificationLog.updateMany({
    where: { id, status: "PENDING", nextAttemptAt: { lte: now } },
    data: { nextAttemptAt: retryAt, errorMessage: reason },
  });
  if (held.count === 0) return notClaimed(db, id, now);
  return { status: "held", retryAt: retryAt.toISOString(), reason };
}

/** The claim failed: tell why, and ask for a retry when the row becomes due very soon. */
export async function notClaimed(db: Db, id: string, now: Date): Promise<DeliveryOutcome> {
  const current = await db.notificationLog.findUnique({ where: { id }, select: { status: true, nextAttemptAt: true } });
  if (!current) return { status: "skipped", reason: "missing" };
  if (current.status !== "PENDING") return { status: "skipped", reason: "not-pending" };
  // Due within seconds (clock skew between servers, or a retry that fired a moment early): come back then.
  if (current.nextAttemptAt.getTime() - now.getTime() <= 30_000) {
    return { status: "retry", retryAt: new Date(current.nextAttemptAt.getTime() + 50).toISOString(), reason: "not due yet" };
  }
  // Another delivery holds it, or it waits for a later attempt: that one (or the sweep) will send it.
  return { status: "skipped", reason: "not-due" };
}
