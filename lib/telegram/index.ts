// Public API of the telegram area for the other areas of lib/: the Bot API client and the bot's
// configuration. The bot itself (bot.ts, bot-webhook.ts, runtime.ts) calls identity, organizations,
// check-in and tickets, so it is not exported here (that would close a cycle): the webhook route and
// the composition root (lib/startup.ts) import it directly. Texts and formatters are pure modules
// (lib/telegram/texts.ts, lib/telegram/format.ts).
import "server-only";

export {
  getTelegramApi,
  isTelegramConfigured,
  toTelegramError,
  TELEGRAM_CAPTION_LIMIT,
  type SendMessageInput,
  type TelegramApi,
  type TelegramError,
} from "./api";
export { botDeepLink, requireTelegramConfigured } from "./bot-config";
