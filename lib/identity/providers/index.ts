// Every sign-in method. Each one is a sessionCredentialsProvider (see session-provider.ts), so every
// sign-in gets a server-side session row.
import "server-only";
import type { Provider } from "next-auth/providers";
import { emailPasswordProvider } from "./email-password";
import { telegramBotProvider, telegramWidgetProvider } from "./telegram";

export const providers: Provider[] = [emailPasswordProvider, telegramWidgetProvider, telegramBotProvider];

export { EMAIL_PASSWORD_PROVIDER } from "./email-password";
export { TELEGRAM_BOT_PROVIDER, TELEGRAM_WIDGET_PROVIDER } from "./telegram";
export { sessionCredentialsProvider, signedInUser } from "./session-provider";
