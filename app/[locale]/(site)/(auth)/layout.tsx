import type { ReactNode } from "react";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/config";

export default async function AuthLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  const locale = isLocale(raw) ? raw : DEFAULT_LOCALE;
  return (
    <I18nProvider locale={locale} messages={pick(locale, ["auth", "account.forgot", "account.reset", "account.resend", "account.errors", "account.validation", "telegram.login"])}>
      <div className="mx-auto flex w-full max-w-md flex-1 flex-col px-4 py-8 sm:py-14">{children}</div>
    </I18nProvider>
  );
}
