// The Telegram bot: one pure service, `handleUpdate(update)`, fed by the webhook route or the
// long-polling loop (lib/telegram/runtime.ts). It talks to Telegram only through getTelegramApi().
//
// Commands: /start (welcome, or a deep link: login_<token>, link_<token>, invite_<code>,
// ticket_<code>, staff_<token> — a door-staff check-in link), /tickets, /help, /lang. Callback buttons: "login:<token row id>" (confirm a bot
// sign-in) and "lang:ru|en". Every reply is in the user's language: the account's locale, or for a
// Telegram user we do not know yet their `language_code` (Russian by default).
//
// Idempotency: an in-memory LRU of update ids drops duplicates seen by this process (webhook
// retries, a re-delivered polling batch); every handler is idempotent on its own as well (conditional
// updates for tokens and invites, INSERT … ON CONFLICT for users), so another server or a restart
// processing the same update again changes nothing twice.
import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import {
  confirmBotLogin,
  findUserByTelegramId,
  openBotLogin,
  profileFromTelegramUser,
  upsertTelegramUser,
  type TelegramProfile,
  type TelegramUserRow,
} from "@/lib/identity";
import { linkTelegramWithToken } from "@/lib/identity";
import { kick } from "@/lib/jobs";
import { acceptOrganizationInvite, previewOrganizationInvite } from "@/lib/organizations";
import { renderTicketPng } from "@/lib/tickets";
import { getTelegramApi, type TelegramApi } from "./api";
import { redeemStaffToken, staffLinkUrl } from "@/lib/check-in";
import { translatorFor } from "@/lib/i18n/catalogue";
import { formatEventDate } from "@/lib/i18n/format/date";
import { START_PAYLOAD_RE } from "./bot-config";
import {
  botText,
  botTexts,
  clip,
  telegramText,
  type BotKey,
  localeFromLanguageCode,
  type BotLocale,
  type BotTexts,
  type ListedStatus,
  type TelegramErrorKey,
} from "./texts";

// ───────────────────────────── update shapes ─────────────────────────────
// The few fields the bot reads (structurally compatible with node-telegram-bot-api's `Update`).

export type TgUser = {
  id: number;
  is_bot?: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
};
export type TgChat = { id: number; type?: string };
export type TgMessage = { message_id: number; date?: number; chat: TgChat; from?: TgUser; text?: string };
export type TgCallbackQuery = { id: string; from: TgUser; message?: { message_id: number; chat: TgChat }; data?: string };
export type TelegramUpdate = { update_id: number; message?: TgMessage; callback_query?: TgCallbackQuery };

/** Tickets /tickets shows with pictures; more are only counted. */
export const MAX_TICKETS_SHOWN = 5;
/** An event without an end time counts as running this long after its start. */
export const DEFAULT_EVENT_DURATION_MS = 12 * 60 * 60 * 1000;

// ───────────────────────────── idempotency ─────────────────────────────

const MAX_REMEMBERED_UPDATES = 5000;
const MAX_GUEST_LOCALES = 10_000;

type BotMemory = { seen: Map<number, true>; guestLocales: Map<string, BotLocale> };
const memory: BotMemory = ((globalThis as { __aqTelegramBot?: BotMemory }).__aqTelegramBot ??= {
  seen: new Map(),
  guestLocales: new Map(),
});

/** Claims an update id for this process; false when it was seen already. */
function claimUpdate(updateId: number): boolean {
  if (memory.seen.has(updateId)) return false;
  memory.seen.set(updateId, true);
  if (memory.seen.size > MAX_REMEMBERED_UPDATES) {
    const oldest = memory.seen.keys().next().value;
    if (oldest !== undefined) memory.seen.delete(oldest);
  }
  return true;
}

/** Test helper: forget processed update ids and guest language choices. */
export function resetBotMemory(): void {
  memory.seen.clear();
  memory.guestLocales.clear();
}

function rememberGuestLocale(telegramId: string, locale: BotLocale): void {
  memory.guestLocales.delete(telegramId);
  memory.guestLocales.set(telegramId, locale);
  if (memory.guestLocales.size > MAX_GUEST_LOCALES) {
    const oldest = memory.guestLocales.keys().next().value;
    if (oldest !== undefined) memory.guestLocales.delete(oldest);
  }
}

// ───────────────────────────── context ─────────────────────────────

type Ctx = {
  api: TelegramApi;
  chatId: number;
  profile: TelegramProfile;
  user: TelegramUserRow | null;
  locale: BotLocale;
  t: BotTexts;
};

async function buildContext(api: TelegramApi, from: TgUser, chatId: number): Promise<Ctx> {
  const profile = profileFromTelegramUser(from);
  const user = await findUserByTelegramId(profile.id);
  const locale = user?.locale ?? memory.guestLocales.get(profile.id) ?? localeFromLanguageCode(from.language_code);
  return { api, chatId, profile, user, locale, t: botTexts(locale) };
}

function withUser(ctx: Ctx, user: TelegramUserRow, keepLocale = true): Ctx {
  const locale = keepLocale ? ctx.locale : user.locale;
  return { ...ctx, user, locale, t: botTexts(locale) };
}

async function reply(ctx: Ctx, text: string, replyMarkup?: Parameters<TelegramApi["sendMessage"]>[0]["replyMarkup"]): Promise<void> {
  await ctx.api.sendMessage({ chatId: ctx.chatId, text, parseMode: "HTML", replyMarkup, disableLinkPreview: true });
}

function appUrl(): string {
  return env().APP_URL.replace(/\/+$/, "");
}

/** Text of an AppError raised by the Telegram services, in the user's language. */
function errorText(t: BotTexts, error: unknown, organization?: string | null): string | null {
  if (!isAppError(error)) return null;
  const key = error.message.replace(/^errors\./, "") as TelegramErrorKey;
  const texts: Partial<Record<TelegramErrorKey, BotKey>> = {
    telegramLoginInvalid: "loginInvalid",
    telegramLoginExpired: "loginExpired",
    telegramLoginUsed: "loginUsed",
    telegramLoginNotConfirmed: "loginInvalid",
    telegramLoginOtherAccount: "loginOtherAccount",
    telegramLinkInvalid: "linkInvalid",
    telegramLinkExpired: "linkExpired",
    telegramLinkUsed: "linkUsed",
    telegramTakenElsewhere: "linkTakenElsewhere",
    telegramAccountHasOther: "linkAccountHasOther",
    telegramAlreadyLinked: "linkAccountHasOther",
    telegramLinkNeedsVerifiedEmail: "linkNeedsVerifiedEmail",
    inviteInvalid: "inviteInvalid",
    inviteExpired: "inviteExpired",
    inviteUsed: "inviteUsed",
    inviteRevoked: "inviteRevoked",
    inviteAlreadyMember: "inviteAlreadyMember",
  };
  const text = texts[key];
  return text ? t(text, { organization: organization ?? "AqStream" }) : null;
}

// ───────────────────────────── entry point ─────────────────────────────

/**
 * Handles one update from Telegram. Never throws: failures are logged (and the user, where
 * possible, gets a short "something went wrong"). `api` defaults to getTelegramApi().
 */
export async function handleUpdate(update: TelegramUpdate, options: { api?: TelegramApi | null } = {}): Promise<void> {
  if (!update || typeof update !== "object" || !Number.isSafeInteger(update.update_id)) return;
  const api = options.api ?? getTelegramApi();
  if (!api) return;
  if (!claimUpdate(update.update_id)) return;
  try {
    if (update.message) await onMessage(api, update.message);
    else if (update.callback_query) await onCallbackQuery(api, update.callback_query);
  } catch (error) {
    console.error(`[telegram] update ${update.update_id} failed:`, error);
    const chatId = update.message?.chat.id ?? update.callback_query?.message?.chat.id;
    const from = update.message?.from ?? update.callback_query?.from;
    if (chatId !== undefined && from) {
      const t = botTexts(localeFromLanguageCode(from.language_code));
      await api.sendMessage({ chatId, text: t("error"), parseMode: "HTML" }).catch(() => undefined);
    }
  }
}

// ───────────────────────────── messages ─────────────────────────────

const COMMAND_RE = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;

async function onMessage(api: TelegramApi, message: TgMessage): Promise<void> {
  const from = message.from;
  // Private chats only: tickets and sign-in confirmations never go to a group.
  if (!from || from.is_bot || (message.chat.type && message.chat.type !== "private")) return;
  const ctx = await buildContext(api, from, message.chat.id);
  const text = message.text?.trim();
  if (!text) return reply(ctx, ctx.t("notText"));
  const command = COMMAND_RE.exec(text);
  if (!command) return reply(ctx, ctx.t("notText"));
  const name = command[1].toLowerCase();
  const args = (command[2] ?? "").trim();
  switch (name) {
    case "start":
      return onStart(ctx, args);
    case "tickets":
      return onTickets(ctx);
    case "help":
      return reply(ctx, ctx.t("help", { appUrl: appUrl() }));
    case "lang":
    case "language":
      return reply(ctx, ctx.t("langPrompt"), {
        inline_keyboard: [
          [
            { text: botText("ru", "languageName"), callback_data: "lang:ru" },
            { text: botText("en", "languageName"), callback_data: "lang:en" },
          ],
        ],
      });
    default:
      return reply(ctx, ctx.t("unknownCommand"));
  }
}

async function onStart(ctx: Ctx, payload: string): Promise<void> {
  if (!payload) {
    if (!ctx.user) return reply(ctx, ctx.t("welcomeNew", { appUrl: appUrl() }));
    // Writing to the bot again re-enables notifications (the chat id is cleared when blocked).
    await db.user.update({
      where: { id: ctx.user.id },
      data: { telegramChatId: String(ctx.chatId), telegramUsername: ctx.profile.username },
    });
    return reply(ctx, ctx.t("welcomeBack", { name: ctx.user.firstName }));
  }
  const match = START_PAYLOAD_RE.test(payload) ? /^(login|link|invite|ticket|staff)_(.+)$/.exec(payload) : null;
  if (!match) return reply(ctx, ctx.t("unknownPayload"));
  const [, kind, value] = match;
  switch (kind) {
    case "login":
      return onLoginStart(ctx, value);
    case "link":
      return onLink(ctx, value);
    case "invite":
      return onInvite(ctx, value);
    case "staff":
      return onStaffLink(ctx, value);
    default:
      return onTicket(ctx, value);
  }
}

/** staff_<token>: a door-staff link (lib/check-in/staff-links.ts) — answers with the web link as a button. */
async function onStaffLink(ctx: Ctx, token: string): Promise<void> {
  const redeemed = await redeemStaffToken(token);
  if (!redeemed.ok) {
    const key = { invalid: "staffInvalid", revoked: "staffRevoked", expired: "staffExpired", event_closed: "staffEventClosed" }[redeemed.reason];
    return reply(ctx, telegramText(ctx.locale, `checkIn.server.telegram.${key}`));
  }
  const event = await db.event.findUnique({ where: { id: redeemed.eventId }, select: { title: true } });
  const text = telegramText(ctx.locale, "checkIn.server.telegram.staffIntro", { event: event?.title ?? "", label: redeemed.label });
  // A button's text is plain text, not HTML.
  return reply(ctx, text, { inline_keyboard: [[{ text: translatorFor(ctx.locale)("checkIn.server.telegram.staffButton"), url: staffLinkUrl(token) }]] });
}

async function onLoginStart(ctx: Ctx, token: string): Promise<void> {
  const opened = await openBotLogin({ token, telegramId: ctx.profile.id });
  switch (opened.status) {
    case "invalid":
      return reply(ctx, ctx.t("loginInvalid"));
    case "expired":
      return reply(ctx, ctx.t("loginExpired"));
    case "used":
    case "confirmed":
      return reply(ctx, ctx.t("loginUsed"));
  }
  const host = new URL(appUrl()).host;
  // Callback data is limited to 64 bytes: it carries the token row id, never the token itself.
  return reply(ctx, ctx.t("loginPrompt", { appHost: host, device: opened.device, minutes: 5 }), {
    inline_keyboard: [[{ text: ctx.t("loginConfirmButton"), callback_data: `login:${opened.tokenId}` }]],
  });
}

async function onLink(ctx: Ctx, token: string): Promise<void> {
  try {
    const linked = await linkTelegramWithToken({ token, telegram: ctx.profile, chatId: ctx.chatId });
    if (linked.alreadyLinked) return reply(ctx, ctx.t("linkAlready"));
    return reply(ctx, ctx.t("linkDone", { name: [linked.firstName, linked.lastName].filter(Boolean).join(" ") }));
  } catch (error) {
    const text = errorText(ctx.t, error);
    if (text) return reply(ctx, text);
    throw error;
  }
}

async function onInvite(ctx: Ctx, code: string): Promise<void> {
  const preview = await previewOrganizationInvite({ code });
  // An already-used invite opened again by the member who used it: say so, not "used".
  if (ctx.user && preview.organizationId) {
    const member = await db.organizationMember.findUnique({
      where: { organizationId_userId: { organizationId: preview.organizationId, userId: ctx.user.id } },
      select: { id: true },
    });
    if (member) return reply(ctx, ctx.t("inviteAlreadyMember", { organization: preview.organizationName ?? "" }));
  }
  switch (preview.status) {
    case "invalid":
      return reply(ctx, ctx.t("inviteInvalid"));
    case "expired":
      return reply(ctx, ctx.t("inviteExpired"));
    case "used":
      return reply(ctx, ctx.t("inviteUsed"));
    case "revoked":
      return reply(ctx, ctx.t("inviteRevoked"));
  }

  // First Telegram contact = sign-up: the invite is never lost for want of an account.
  let created = false;
  let current = ctx;
  if (!ctx.user) {
    const result = await db.$transaction((tx) => upsertTelegramUser(tx, { profile: ctx.profile, chatId: ctx.chatId }));
    created = result.created;
    current = withUser(ctx, result.user);
    if (created) kick(); // user.welcome was queued
  }
  try {
    const accepted = await acceptOrganizationInvite({ code, userId: current.user!.id });
    return reply(current, current.t("inviteAccepted", { organization: accepted.organizationName, created, appUrl: appUrl() }));
  } catch (error) {
    const text = errorText(current.t, error, preview.organizationName);
    if (text) return reply(current, text);
    throw error;
  }
}

// ───────────────────────────── tickets ─────────────────────────────

const TICKET_SELECT = {
  id: true,
  status: true,
  confirmationCode: true,
  expiresAt: true,
  ticketType: { select: { name: true } },
  event: {
    select: { title: true, startsAt: true, endsAt: true, timezone: true, locationType: true, locationAddress: true, locationUrl: true },
  },
} as const;

type TicketRow = {
  id: string;
  status: ListedStatus;
  confirmationCode: string;
  expiresAt: Date | null;
  ticketType: { name: string };
  event: {
    title: string;
    startsAt: Date;
    endsAt: Date | null;
    timezone: string;
    locationType: "ONLINE" | "OFFLINE" | "HYBRID";
    locationAddress: string | null;
    locationUrl: string | null;
  };
};

/**
 * A user's upcoming tickets: registrations CONFIRMED, PENDING or RESERVED (a reservation only while
 * its hold lasts) of events not deleted, not cancelled and not yet ended, soonest first.
 */
export async function listUpcomingTickets(userId: string, { now = new Date(), take = 50 }: { now?: Date; take?: number } = {}): Promise<TicketRow[]> {
  const rows = await db.registration.findMany({
    where: {
      userId,
      AND: [
        { OR: [{ status: { in: ["CONFIRMED", "PENDING"] } }, { status: "RESERVED", expiresAt: { gt: now } }] },
        {
          event: {
            deletedAt: null,
            status: { not: "CANCELLED" },
            OR: [{ endsAt: { gt: now } }, { endsAt: null, startsAt: { gt: new Date(now.getTime() - DEFAULT_EVENT_DURATION_MS) } }],
          },
        },
      ],
    },
    orderBy: [{ event: { startsAt: "asc" } }, { createdAt: "asc" }],
    take,
    select: TICKET_SELECT,
  });
  return rows as TicketRow[];
}

function ticketLocation(t: BotTexts, event: TicketRow["event"]): string | null {
  const online = event.locationUrl ? `${t("online")}: ${event.locationUrl}` : t("online");
  switch (event.locationType) {
    case "ONLINE":
      return online;
    case "HYBRID":
      return [event.locationAddress, online].filter(Boolean).join(" · ");
    default:
      return event.locationAddress;
  }
}

async function sendTicket(ctx: Ctx, ticket: TicketRow): Promise<void> {
  const caption = ctx.t("ticketCaption", {
    title: clip(ticket.event.title, 200),
    date: formatEventDate(ticket.event.startsAt, ticket.event.timezone, ctx.locale),
    location: clip(ticketLocation(ctx.t, ticket.event) ?? "", 200),
    ticketType: clip(ticket.ticketType.name, 100),
    code: ticket.confirmationCode,
    status: ticket.status,
    reservedUntil: ticket.expiresAt ? formatEventDate(ticket.expiresAt, ticket.event.timezone, ctx.locale) : null,
  });
  // A cancelled or expired ticket has no valid QR code to show.
  if (ticket.status === "CANCELLED" || ticket.status === "EXPIRED") return reply(ctx, caption);
  const photo = await renderTicketPng(ticket.id, { locale: ctx.locale });
  await ctx.api.sendPhoto({
    chatId: ctx.chatId,
    photo,
    filename: `ticket-${ticket.confirmationCode}.png`,
    contentType: "image/png",
    caption,
    parseMode: "HTML",
  });
}

async function onTickets(ctx: Ctx): Promise<void> {
  if (!ctx.user) return reply(ctx, ctx.t("ticketsNotLinked", { appUrl: appUrl() }));
  const tickets = await listUpcomingTickets(ctx.user.id, { take: MAX_TICKETS_SHOWN + 1 });
  if (tickets.length === 0) return reply(ctx, ctx.t("ticketsNone", { appUrl: appUrl() }));
  const shown = tickets.slice(0, MAX_TICKETS_SHOWN);
  await reply(ctx, ctx.t("ticketsHeader", { count: shown.length }));
  for (const ticket of shown) await sendTicket(ctx, ticket);
  if (tickets.length > MAX_TICKETS_SHOWN) {
    await reply(ctx, ctx.t("ticketsMore", { shown: MAX_TICKETS_SHOWN, url: `${appUrl()}/dashboard` }));
  }
}

async function onTicket(ctx: Ctx, rawCode: string): Promise<void> {
  const code = rawCode.toUpperCase();
  if (!/^[A-Z0-9]{4,32}$/.test(code)) return reply(ctx, ctx.t("unknownPayload"));
  // Only the ticket holder's own Telegram account sees it; anyone else gets "not found".
  const ticket = ctx.user
    ? await db.registration.findFirst({ where: { confirmationCode: code, userId: ctx.user.id }, select: TICKET_SELECT })
    : null;
  if (!ticket) return reply(ctx, ctx.t("ticketNotFound"));
  return sendTicket(ctx, ticket as TicketRow);
}

// ───────────────────────────── callback buttons ─────────────────────────────

async function onCallbackQuery(api: TelegramApi, query: TgCallbackQuery): Promise<void> {
  const from = query.from;
  const chatId = query.message?.chat.id ?? from.id;
  if (from.is_bot || (query.message?.chat.type && query.message.chat.type !== "private")) {
    await api.answerCallbackQuery({ callbackQueryId: query.id });
    return;
  }
  const ctx = await buildContext(api, from, chatId);
  const data = query.data ?? "";

  const login = /^login:([0-9a-f-]{36})$/i.exec(data);
  if (login) return onLoginConfirm(ctx, query, login[1]);
  const lang = /^lang:(ru|en)$/.exec(data);
  if (lang) return onLanguageChosen(ctx, query, lang[1] as BotLocale);
  await api.answerCallbackQuery({ callbackQueryId: query.id, text: ctx.t("staleButton") });
}

async function editOrReply(ctx: Ctx, query: TgCallbackQuery, text: string): Promise<void> {
  if (query.message) {
    try {
      await ctx.api.editMessageText({ chatId: query.message.chat.id, messageId: query.message.message_id, text, parseMode: "HTML" });
      return;
    } catch (error) {
      // "message is not modified" (a second tap) or a message too old to edit: send a new one.
      console.warn("[telegram] editMessageText failed, replying instead:", (error as Error).message);
    }
  }
  await reply(ctx, text);
}

async function onLoginConfirm(ctx: Ctx, query: TgCallbackQuery, tokenId: string): Promise<void> {
  try {
    const { user, created } = await confirmBotLogin({ tokenId, telegram: ctx.profile, chatId: ctx.chatId });
    await ctx.api.answerCallbackQuery({ callbackQueryId: query.id, text: ctx.t("loginConfirmedToast") });
    await editOrReply(ctx, query, ctx.t("loginConfirmed", { name: user.firstName, created }));
  } catch (error) {
    const text = errorText(ctx.t, error);
    if (!text) throw error;
    await ctx.api.answerCallbackQuery({ callbackQueryId: query.id, text, showAlert: true });
    await editOrReply(ctx, query, text);
  }
}

async function onLanguageChosen(ctx: Ctx, query: TgCallbackQuery, locale: BotLocale): Promise<void> {
  const t = botTexts(locale);
  if (ctx.user) {
    await db.user.update({ where: { id: ctx.user.id }, data: { locale: locale === "en" ? "EN" : "RU" } });
    memory.guestLocales.delete(ctx.profile.id);
  } else {
    rememberGuestLocale(ctx.profile.id, locale);
  }
  const text = ctx.user ? t("langSet") : t("langSetGuest");
  await ctx.api.answerCallbackQuery({ callbackQueryId: query.id, text: t("languageName") });
  await editOrReply({ ...ctx, locale, t }, query, text);
}
