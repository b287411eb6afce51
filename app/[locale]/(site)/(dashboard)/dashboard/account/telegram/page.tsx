import type { Metadata } from "next";
import { TelegramAccountPanel } from "@/components/telegram/telegram-account-panel";
import { requirePageUser } from "@/lib/identity/guards";
import { getT } from "@/lib/i18n/server";
import { getBotUsername, isTelegramConfigured } from "@/lib/telegram/bot-config";
import { getTelegramAccount } from "@/lib/identity/telegram-account";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("telegram.account.title") };
}

export default async function TelegramAccountPage() {
  const user = await requirePageUser("/dashboard/account/telegram");
  const [account, t] = await Promise.all([getTelegramAccount({ userId: user.id }), getT()]);
  const configured = isTelegramConfigured();
  let botUrl: string | null = null;
  if (configured) {
    try {
      botUrl = `https://t.me/${await getBotUsername()}`;
    } catch (error) {
      console.warn("[telegram] bot username unavailable:", (error as Error).message);
    }
  }

  return (
    <div className="flex flex-col gap-5">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("telegram.account.title")}</h1>
        <p className="text-slate-600">{t("telegram.account.intro")}</p>
      </header>
      <TelegramAccountPanel initial={account} configured={configured} botUrl={botUrl} />
    </div>
  );
}
