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
import {
  getTelegramApi,
  TELEGRAM_CAPTION_LIMIT,
  toTelegramError,
  type SendMessageInput,
  type TelegramApi,
  type TelegramError,
} from "@/lib/telegram";
import type { MailTransport } from "@/lib/mail";
import {
  DELIVERY_LEASE_MS,
  NOTIFICATION_MAX_ATTEMPTS,
  OUTCOME_UNKNOWN_MESSAGE,
  claimRow,
  fail,
  markSendStarted,
  markSent,
  notClaimed,
  retryOrFail,
  type DeliveryOutcome,
} from "./claim";
import { deliverEmailNotification } from "./deliver-email";
import type { NotificationButton, NotificationExtra } from "./notify";
import "./photo-resolvers";
import { resolvePhoto, type PhotoSpec } from "./photos";
import { renderTemplate, templateBodyFor, type Locale } from "./render";
import { systemTemplate } from "./system-templates";
import { resolveNoticeVariables } from "./variables";

/** When Telegram is not configured, rows wait this long before the next look. */
export const NOT_CONFIGURED_DELAY_MS = 60 * 60_000;
export const NOT_CONFIGURED_MESSAGE = "Telegram is not configured";
export const NO_CHAT_MESSAGE = "User has no Telegram chat linked";

export { DELIVERY_LEASE_MS, NOTIFICATION_MAX_ATTEMPTS, OUTCOME_UNKNOWN_MESSAGE, fail, markSendStarted, notClaimed, type DeliveryOutcome };

export interface DeliveryOptions {
  /** Default getTelegramApi(); null = not configured. */
  api?: TelegramApi | null;
  db?: Db;
  now?: Date;
  /** First retry delay after a transient failure (NOTIFICATIONS_RETRY_BASE_MS, default 10 s). */
  retryBaseMs?: number;
  maxAttempts?: number;
  /** Email rows: the SMTP transport (default: SMTP_URL's; null = no SMTP, the dev outbox). */
  transport?: MailTransport | null;
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

/** Delivers one row on its channel: email rows by deliverEmailNotification, the others through Telegram. */
export async function deliverNotification(id: string, options: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  const db = options.db ?? defaultDb;
  const head = await db.notificationLog.findUnique({ where: { id }, select: { channel: true } });
  if (head?.channel === "EMAIL") return deliverEmailNotification(id, options);
  return deliverTelegramNotification(id, options);
}

async function deliverTelegramNotification(id: string, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const api = options.api === undefined ? getTelegramApi() : options.api;

  if (!api) return hold(db, id, now, NOT_CONFIGURED_MESSAGE);

  // 1. Claim the row: only one delivery of it can be in flight.
  const row = await claimRow(db, id, now);
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

  // 3. Send. An organizer message records that its send started once the limiter gave the slot, right
  // before the request (at most once: see OUTCOME_UNKNOWN_MESSAGE); a wait in the limiter is not a send.
  const beforeSend = row.messageId ? () => markSendStarted(db, row.id) : undefined;
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
        beforeSend,
      });
      messageId = message.message_id;
      // Over the caption limit: the photo goes alone and the text follows as a message.
      if (long) messageId = (await api.sendMessage({ chatId, text, replyMarkup, disableLinkPreview: extra.disableLinkPreview })).message_id;
    } else {
      messageId = (await api.sendMessage({ chatId, text, replyMarkup, disableLinkPreview: extra.disableLinkPreview, beforeSend })).message_id;
    }
  } catch (error) {
    return handleSendError(db, row, chatId, text, toTelegramError(error), now, options);
  }

  await markSent(db, row, { body: text, chatId });
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
    case "transient":
      return retryOrFail(db, row, error.description, now, {
        retryBaseMs: options.retryBaseMs ?? env().NOTIFICATIONS_RETRY_BASE_MS,
        maxAttempts: options.maxAttempts,
        label: "Telegram",
        fields: { chatId, body: text },
      });
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

