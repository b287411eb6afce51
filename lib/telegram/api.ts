// Telegram Bot API transport: a thin wrapper over node-telegram-bot-api 2.1.0's `Api`.
//
// - One place that knows the token (TELEGRAM_BOT_TOKEN) and the API origin (TELEGRAM_API_ROOT,
//   default https://api.telegram.org; tests point it at tests/fakes/telegram-bot-api.ts).
// - The library's own retries are switched off (maxRetries 0): a retried sendMessage can deliver a
//   message twice, and a 429 would sleep inside the request. Retries belong to the caller (the
//   notification pipeline reschedules through its job; the bot's polling loop just polls again).
// - Every failure is mapped to one TelegramError with a `kind` the caller branches on:
//     rate_limited  429; `retryAfter` seconds from Telegram (default 5)
//     chat_gone     403 (bot blocked / kicked / user deactivated) or 400 "chat not found" / "user not found"
//     transient     5xx, network errors, timeouts, unreadable responses
//     fatal         anything else (400 "can't parse entities", 401 bad token, …)
//   `errorCode` keeps Telegram's code (0 for transport failures).
//
// 2.1.0 reports errors as classes from its core (verified in dist/core/transport.js + errors.js):
// `TelegramApiError { errorCode, description, parameters.retry_after }` for `{ ok: false }` answers
// (also for a 5xx whose body is such an envelope), `NetworkError` (fetch failed / 5xx without an
// envelope), `TimeoutError`, `ParseError` (non-JSON body). Files go as `InputFile` (Blob | Uint8Array
// | stream) in a streamed multipart/form-data body; a Buffer is a Uint8Array, so it is passed as is.
import "server-only";
import {
  Api,
  InputFile,
  NetworkError,
  ParseError,
  TelegramApiError,
  TelegramBotError,
  TimeoutError,
} from "node-telegram-bot-api";
import type {
  AnswerCallbackQueryParams,
  EditMessageTextParams,
  GetUpdatesParams,
  InlineKeyboardMarkup,
  Message,
  SendMessageParams,
  SetWebhookParams,
  Update,
  User as TelegramUser,
} from "node-telegram-bot-api";
import { env } from "@/lib/env";

export const DEFAULT_TELEGRAM_API_ROOT = "https://api.telegram.org";
/** Telegram's caption limit for sendPhoto (characters after entity parsing). */
export const TELEGRAM_CAPTION_LIMIT = 1024;
/** Telegram's message text limit. */
export const TELEGRAM_TEXT_LIMIT = 4096;

export type TelegramErrorKind = "rate_limited" | "chat_gone" | "transient" | "fatal";

export class TelegramError extends Error {
  constructor(
    readonly kind: TelegramErrorKind,
    readonly description: string,
    /** Telegram's error_code (HTTP-like); 0 when the request never got an answer. */
    readonly errorCode: number = 0,
    /** Seconds to wait (rate_limited only). */
    readonly retryAfter?: number,
    options?: { cause?: unknown },
  ) {
    super(`Telegram ${kind}${errorCode ? ` ${errorCode}` : ""}: ${description}`, options);
    this.name = "TelegramError";
  }
}

export const isTelegramError = (e: unknown): e is TelegramError => e instanceof TelegramError;

const CHAT_GONE_400 = /chat not found|user not found|peer_id_invalid|bot was blocked|user is deactivated|bot was kicked|have no rights to send/i;
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Maps anything thrown by the library (or fetch) to a TelegramError. */
export function toTelegramError(error: unknown): TelegramError {
  if (error instanceof TelegramError) return error;
  if (error instanceof TelegramApiError) {
    const code = error.errorCode;
    const description = error.description || error.message;
    if (code === 429) {
      const retryAfter = Number(error.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS);
      return new TelegramError("rate_limited", description, code, retryAfter > 0 ? retryAfter : DEFAULT_RETRY_AFTER_SECONDS, { cause: error });
    }
    if (code === 403 || (code === 400 && CHAT_GONE_400.test(description))) {
      return new TelegramError("chat_gone", description, code, undefined, { cause: error });
    }
    if (code >= 500) return new TelegramError("transient", description, code, undefined, { cause: error });
    return new TelegramError("fatal", description, code, undefined, { cause: error });
  }
  if (error instanceof NetworkError || error instanceof TimeoutError || error instanceof ParseError) {
    return new TelegramError("transient", error.message, 0, undefined, { cause: error });
  }
  if (error instanceof TelegramBotError) return new TelegramError("fatal", error.message, 0, undefined, { cause: error });
  // fetch itself (TypeError: fetch failed), aborted signals, anything else: worth another try.
  const message = error instanceof Error ? error.message : String(error);
  return new TelegramError("transient", message, 0, undefined, { cause: error });
}

export interface SendMessageInput {
  chatId: string | number;
  text: string;
  /** Default "HTML": templates are Telegram-HTML (docs/notifications.md). Pass null for plain text. */
  parseMode?: "HTML" | "MarkdownV2" | null;
  replyMarkup?: SendMessageParams["reply_markup"];
  disableLinkPreview?: boolean;
  /** Called once the limiter gave the slot, right before the request (organizer messages record the send start here). */
  beforeSend?: () => Promise<void>;
}

export interface SendPhotoInput {
  chatId: string | number;
  /** PNG/JPEG bytes (uploaded as multipart) or a file_id / https URL Telegram fetches itself. */
  photo: Buffer | Uint8Array | string;
  filename?: string;
  contentType?: string;
  caption?: string;
  parseMode?: "HTML" | "MarkdownV2" | null;
  replyMarkup?: SendMessageParams["reply_markup"];
  /** As SendMessageInput.beforeSend. */
  beforeSend?: () => Promise<void>;
}

export interface EditMessageTextInput {
  chatId: string | number;
  messageId: number;
  text: string;
  parseMode?: "HTML" | "MarkdownV2" | null;
  replyMarkup?: InlineKeyboardMarkup;
}

export interface TelegramApi {
  readonly apiRoot: string;
  /** The library client for methods not wrapped here (its errors are not mapped: use toTelegramError). */
  readonly raw: Api;
  getMe(): Promise<TelegramUser>;
  sendMessage(input: SendMessageInput): Promise<Message>;
  sendPhoto(input: SendPhotoInput): Promise<Message>;
  editMessageText(input: EditMessageTextInput): Promise<Message | true>;
  answerCallbackQuery(input: { callbackQueryId: string; text?: string; showAlert?: boolean; url?: string }): Promise<true>;
  /** Long polling: `timeout` seconds the server may hold the request; abort with `signal`. */
  getUpdates(input?: { offset?: number; limit?: number; timeout?: number; allowedUpdates?: string[] }, signal?: AbortSignal): Promise<Update[]>;
  setWebhook(input: { url: string; secretToken?: string; allowedUpdates?: string[]; dropPendingUpdates?: boolean }): Promise<true>;
  deleteWebhook(input?: { dropPendingUpdates?: boolean }): Promise<true>;
}

/**
 * The send limiter: at most TELEGRAM_MAX_PER_SECOND sends a second overall and
 * TELEGRAM_MAX_PER_CHAT_PER_SECOND to one chat, across every sender of the process (organizer messages,
 * transactional notices, the bot's replies). It waits, never drops: acquire() resolves when the send may
 * start. Sends are spaced evenly (1000 / perSecond ms apart), so no one-second window holds more than the
 * limit. The limit is per process; production runs the jobs in one process (docs/deployment.md), so it is
 * the app's limit. A 429 from Telegram holds that chat for retry_after seconds.
 */
export class TelegramSendLimiter {
  private nextGlobal = 0;
  private readonly nextByChat = new Map<string, number>();

  constructor(
    readonly perSecond: number,
    readonly perChatPerSecond: number = 1,
  ) {}

  private get interval(): number {
    return 1000 / this.perSecond;
  }

  async acquire(chatId: string | number): Promise<void> {
    const chat = String(chatId);
    for (;;) {
      const now = Date.now();
      const chatAt = this.nextByChat.get(chat) ?? 0;
      if (chatAt > now) {
        await sleep(chatAt - now);
        continue;
      }
      // Reserve the next global slot and this chat's next turn synchronously (no await in between).
      const at = Math.max(now, this.nextGlobal);
      this.nextGlobal = at + this.interval;
      this.nextByChat.set(chat, at + 1000 / this.perChatPerSecond);
      if (this.nextByChat.size > 50_000) this.prune(now);
      if (at > now) await sleep(at - now);
      return;
    }
  }

  /** Telegram answered 429 for this chat: no send to it before retry_after has passed. */
  holdChat(chatId: string | number, seconds: number): void {
    const chat = String(chatId);
    this.nextByChat.set(chat, Math.max(this.nextByChat.get(chat) ?? 0, Date.now() + seconds * 1000));
  }

  private prune(now: number): void {
    for (const [chat, at] of this.nextByChat) if (at <= now) this.nextByChat.delete(chat);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const globalForLimiter = globalThis as unknown as { __aqTelegramLimiter?: TelegramSendLimiter };

/** The process-wide limiter (settings from the environment at first use). */
export function telegramSendLimiter(): TelegramSendLimiter {
  const { TELEGRAM_MAX_PER_SECOND, TELEGRAM_MAX_PER_CHAT_PER_SECOND } = env();
  const current = globalForLimiter.__aqTelegramLimiter;
  if (current && current.perSecond === TELEGRAM_MAX_PER_SECOND && current.perChatPerSecond === TELEGRAM_MAX_PER_CHAT_PER_SECOND) return current;
  return (globalForLimiter.__aqTelegramLimiter = new TelegramSendLimiter(TELEGRAM_MAX_PER_SECOND, TELEGRAM_MAX_PER_CHAT_PER_SECOND));
}

export interface TelegramApiOptions {
  token: string;
  apiRoot?: string;
  /** Per-request timeout for ordinary calls (long polls get `timeout` + 10 s). Default 30 s. */
  timeoutMs?: number;
  /** Injected fetch (tests). */
  fetch?: typeof fetch;
  /** Paces sendMessage / sendPhoto. Default: the process-wide telegramSendLimiter(); null = none. */
  limiter?: TelegramSendLimiter | null;
}

function parseMode(mode: "HTML" | "MarkdownV2" | null | undefined): string | undefined {
  return mode === null ? undefined : (mode ?? "HTML");
}

/** Builds a client for an explicit token (the bot and tests may need one without the environment). */
export function createTelegramApi(options: TelegramApiOptions): TelegramApi {
  const apiRoot = (options.apiRoot || DEFAULT_TELEGRAM_API_ROOT).replace(/\/+$/, "");
  const api = new Api(options.token, {
    apiRoot,
    maxRetries: 0,
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toTelegramError(error);
    }
  }

  /** A send: waits for the limiter's slot (overall and per chat); a 429 holds the chat. */
  async function send<T>(chatId: string | number, fn: () => Promise<T>, beforeSend?: () => Promise<void>): Promise<T> {
    const limiter = options.limiter === undefined ? telegramSendLimiter() : options.limiter;
    await limiter?.acquire(chatId);
    await beforeSend?.();
    try {
      return await call(fn);
    } catch (error) {
      if (limiter && error instanceof TelegramError && error.kind === "rate_limited") limiter.holdChat(chatId, error.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS);
      throw error;
    }
  }

  return {
    apiRoot,
    raw: api,
    getMe: () => call(() => api.getMe()),
    sendMessage: (input) =>
      send(input.chatId, () =>
        api.sendMessage({
          chat_id: input.chatId,
          text: input.text,
          parse_mode: parseMode(input.parseMode),
          reply_markup: input.replyMarkup,
          link_preview_options: input.disableLinkPreview ? { is_disabled: true } : undefined,
        }),
        input.beforeSend,
      ),
    sendPhoto: (input) =>
      send(input.chatId, () =>
        api.sendPhoto({
          chat_id: input.chatId,
          photo:
            typeof input.photo === "string"
              ? input.photo
              : new InputFile(input.photo, { filename: input.filename ?? "photo.png", contentType: input.contentType ?? "image/png" }),
          caption: input.caption,
          parse_mode: input.caption ? parseMode(input.parseMode) : undefined,
          reply_markup: input.replyMarkup,
        }),
        input.beforeSend,
      ),
    editMessageText: (input) =>
      call(() =>
        api.editMessageText({
          chat_id: input.chatId,
          message_id: input.messageId,
          text: input.text,
          parse_mode: parseMode(input.parseMode),
          reply_markup: input.replyMarkup,
        } satisfies EditMessageTextParams),
      ) as Promise<Message | true>,
    answerCallbackQuery: (input) =>
      call(() =>
        api.answerCallbackQuery({
          callback_query_id: input.callbackQueryId,
          text: input.text,
          show_alert: input.showAlert,
          url: input.url,
        } satisfies AnswerCallbackQueryParams),
      ) as Promise<true>,
    getUpdates: (input = {}, signal) =>
      call(() =>
        api.getUpdates(
          {
            offset: input.offset,
            limit: input.limit,
            timeout: input.timeout,
            allowed_updates: input.allowedUpdates,
          } satisfies GetUpdatesParams,
          signal,
        ),
      ),
    setWebhook: (input) =>
      call(() =>
        api.setWebhook({
          url: input.url,
          secret_token: input.secretToken,
          allowed_updates: input.allowedUpdates,
          drop_pending_updates: input.dropPendingUpdates,
        } satisfies SetWebhookParams),
      ) as Promise<true>,
    deleteWebhook: (input = {}) =>
      call(() => api.deleteWebhook({ drop_pending_updates: input.dropPendingUpdates })) as Promise<true>,
  };
}

/** True when TELEGRAM_BOT_TOKEN is set. */
export function isTelegramConfigured(): boolean {
  return Boolean(env().TELEGRAM_BOT_TOKEN);
}

let cached: { key: string; api: TelegramApi } | undefined;

/** The app's client (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT), or null when no token is configured. */
export function getTelegramApi(): TelegramApi | null {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot } = env();
  if (!token) return null;
  const key = `${token}\n${apiRoot ?? ""}`;
  if (cached?.key !== key) cached = { key, api: createTelegramApi({ token, apiRoot }) };
  return cached.api;
}
