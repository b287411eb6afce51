// Sign-in with Telegram: the Login Widget (desktop) and the bot deep link (phones).
// Both prove who the user is in lib/identity/telegram-auth.ts; the session row comes from the wrapper.
import "server-only";
import { authorizeTelegramBotLogin, authorizeTelegramWidget } from "@/lib/identity/telegram-auth";
import { sessionCredentialsProvider } from "./session-provider";

export const TELEGRAM_WIDGET_PROVIDER = "telegram-widget";
export const TELEGRAM_BOT_PROVIDER = "telegram-bot";

export const telegramWidgetProvider = sessionCredentialsProvider({
  id: TELEGRAM_WIDGET_PROVIDER,
  name: "Telegram",
  credentials: { id: {}, first_name: {}, last_name: {}, username: {}, photo_url: {}, auth_date: {}, hash: {} },
  authenticate: async (credentials) => (await authorizeTelegramWidget(credentials))?.id ?? null,
});

export const telegramBotProvider = sessionCredentialsProvider({
  id: TELEGRAM_BOT_PROVIDER,
  name: "Telegram bot",
  credentials: { token: {} },
  authenticate: async (credentials) => (await authorizeTelegramBotLogin({ token: credentials.token }))?.id ?? null,
});
