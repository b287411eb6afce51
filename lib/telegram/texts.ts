// The bot's texts: catalogue messages (namespace `bot`, lib/i18n/messages/areas/bot.ts) rendered by the
// one Telegram formatter (lib/telegram/format.ts), which escapes every value for Telegram HTML.
// Pure module: no server imports, unit-testable.
import type { Locale } from "@/lib/i18n/config";
import { catalogues } from "@/lib/i18n/messages";
import type { errorsRu } from "@/lib/i18n/messages/areas/bot";
import { lookupPath, type MessageKey } from "@/lib/i18n/translate";
import { formatTelegramMessage, type TelegramValues } from "./format";

export type BotLocale = Locale;

/** A text of the bot: a key of the catalogue's `bot` namespace. */
export type BotKey = keyof (typeof catalogues)["ru"]["bot"];

/**
 * A catalogue text as Telegram HTML, its values escaped: `telegramText("ru", "checkIn.server.telegram.staffIntro", { event })`.
 * A key that is not a text renders as itself (escaped), like t.dynamic.
 */
export function telegramText(locale: BotLocale, key: MessageKey | string, values?: TelegramValues): string {
  const raw = lookupPath(catalogues[locale] ?? catalogues.ru, key);
  if (typeof raw !== "string") return formatTelegramMessage("{key}", locale, { key });
  return formatTelegramMessage(raw, locale, values);
}

/** A bot text: `botText(locale, "loginPrompt", { appHost, device, minutes: 5 })`. */
export function botText(locale: BotLocale, key: BotKey, values?: TelegramValues): string {
  return telegramText(locale, `bot.${key}`, values);
}

/** Shortens a value to `max` characters (Telegram captions are limited to 1024). */
export function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1))}…`;
}

/** Registration statuses (the Prisma enum, repeated here to keep this module pure). */
export type ListedStatus = "CONFIRMED" | "RESERVED" | "PENDING" | "CANCELLED" | "CHECKED_IN" | "EXPIRED";

/** Telegram's `language_code` → the bot's locale (Russian for ru/uk/be/kk and when unknown). */
export function localeFromLanguageCode(code: string | null | undefined): BotLocale {
  if (!code) return "ru";
  const base = code.toLowerCase().split(/[-_]/)[0];
  return ["ru", "uk", "be", "kk"].includes(base) ? "ru" : "en";
}

/** AppError message keys raised by the Telegram services; their texts are "errors.<key>" of the catalogue. */
export type TelegramErrorKey = keyof typeof errorsRu;

/** The AppError message for a key: "errors.<key>" (the UI catalogue's namespace). */
export function errorKey(key: TelegramErrorKey): `errors.${TelegramErrorKey}` {
  return `errors.${key}`;
}

/** The bot's texts in one language: `const t = botTexts("ru"); t("help", { appUrl })`. */
export type BotTexts = (key: BotKey, values?: TelegramValues) => string;

export function botTexts(locale: BotLocale): BotTexts {
  return (key, values) => botText(locale, key, values);
}
