// Bot identity and deep links. The username comes from TELEGRAM_BOT_USERNAME (never hard-coded; the
// original mixed "AqStreamBot" and "@aqstream_bot"); without it, getMe is asked once per process.
import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getTelegramApi, isTelegramConfigured } from "./api";
import { errorKey } from "./texts";

export { isTelegramConfigured };

/** Path of the webhook route (app/api/telegram/webhook/route.ts). */
export const TELEGRAM_WEBHOOK_PATH = "/api/telegram/webhook";

/** Updates the bot asks Telegram for (webhook and polling alike). */
export const TELEGRAM_ALLOWED_UPDATES = ["message", "callback_query"];

/** /start payloads: Telegram allows 1–64 characters of A-Z a-z 0-9 _ -. */
export const START_PAYLOAD_RE = /^[A-Za-z0-9_-]{1,64}$/;

let usernameFromGetMe: { apiRoot: string; username: string } | undefined;

/** The bot's username without "@": TELEGRAM_BOT_USERNAME, else getMe (cached). */
export async function getBotUsername(): Promise<string> {
  const configured = env().TELEGRAM_BOT_USERNAME;
  if (configured) return configured;
  const api = getTelegramApi();
  if (!api) throw new AppError("CONFLICT", errorKey("telegramNotConfigured"));
  if (usernameFromGetMe?.apiRoot === api.apiRoot) return usernameFromGetMe.username;
  const me = await api.getMe();
  if (!me.username) throw new Error("getMe returned no username");
  usernameFromGetMe = { apiRoot: api.apiRoot, username: me.username };
  return me.username;
}

/** https://t.me/<bot>?start=<payload> */
export async function botDeepLink(payload: string): Promise<string> {
  if (!START_PAYLOAD_RE.test(payload)) throw new Error(`invalid /start payload: ${payload}`);
  return `https://t.me/${await getBotUsername()}?start=${payload}`;
}

/** Throws AppError CONFLICT telegramNotConfigured when no bot token is configured. */
export function requireTelegramConfigured(): void {
  if (!isTelegramConfigured()) throw new AppError("CONFLICT", errorKey("telegramNotConfigured"));
}
