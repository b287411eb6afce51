// The Telegram block of the login and register pages (server part): whether Telegram is configured
// and the bot's username, then the interactive panel. Without a bot token it says so instead of
// showing buttons that cannot work.
import { TelegramLoginPanel } from "@/components/telegram/telegram-login-panel";
import { TelegramIcon } from "@/components/telegram/telegram-icon";
import { getT } from "@/lib/i18n/server";
import { getBotUsername, isTelegramConfigured } from "@/lib/telegram/bot-config";

export async function TelegramLogin({ callbackUrl, mode = "login" }: { callbackUrl: string; mode?: "login" | "register" }) {
  const t = await getT();
  const configured = isTelegramConfigured();
  let botUsername: string | null = null;
  if (configured) {
    try {
      botUsername = await getBotUsername();
    } catch (error) {
      // Only the widget needs the name up front; the bot link asks again when it is started.
      console.warn("[telegram] bot username unavailable for the login widget:", (error as Error).message);
    }
  }

  return (
    <div className="mt-6 flex flex-col gap-4">
      <div className="flex items-center gap-3 text-sm text-slate-500" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-200" />
        {t("telegram.login.divider")}
        <span className="h-px flex-1 bg-slate-200" />
      </div>
      {configured ? (
        <TelegramLoginPanel botUsername={botUsername} callbackUrl={callbackUrl} mode={mode} />
      ) : (
        <p className="flex items-start gap-2 rounded-xl border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-600" data-testid="telegram-login-unavailable">
          <TelegramIcon className="mt-0.5 text-slate-400" />
          {t("telegram.login.notConfigured")}
        </p>
      )}
    </div>
  );
}
