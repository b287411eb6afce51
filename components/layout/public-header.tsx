// The header of the cached public pages: no session read and no client state, so the page around it
// can be rendered once and served to every anonymous visitor (docs/public-pages.md). "Sign in /
// Dashboard" goes to /dashboard: proxy.ts sends a visitor without a session to the sign-in page.
import Link from "next/link";
import { setLocaleAction } from "@/lib/i18n/actions";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";

export function PublicHeader({ locale, t }: { locale: Locale; t: Translator }) {
  const target: Locale = LOCALES.find((l) => l !== locale) ?? "ru";
  const language = t(`locale.${target}`);
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
      <nav aria-label={t("public.header.nav")} className="mx-auto flex h-16 max-w-5xl items-center gap-1 px-4 sm:gap-3">
        <Link href="/" className="flex min-h-11 shrink-0 items-center gap-2 rounded-lg pr-1 text-lg font-bold text-slate-900">
          <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true">
            <rect width="32" height="32" rx="9" className="fill-brand-600" />
            <path d="M9 22l5.5-12h3L23 22h-3.2l-1.1-2.6h-5.4L12.2 22H9zm5.3-5.2h3.4L16 12.6l-1.7 4.2z" fill="#fff" />
          </svg>
          <span className="max-[439px]:sr-only">{t("common.appName")}</span>
        </Link>
        <Link href="/events" className="flex min-h-11 items-center rounded-lg px-2 text-sm font-medium text-slate-800 hover:bg-slate-100" data-testid="header-catalogue">
          {t("public.header.catalogue")}
        </Link>
        <div className="ml-auto flex items-center gap-1">
          <form action={setLocaleAction}>
            <input type="hidden" name="locale" value={target} />
            <button
              type="submit"
              className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-xl px-2 text-sm font-semibold uppercase text-slate-700 hover:bg-slate-100"
              aria-label={t("locale.switchTo", { language })}
              title={language}
              lang={target}
              data-testid="locale-switch"
            >
              {target}
            </button>
          </form>
          <Link href="/dashboard" prefetch={false} className="inline-flex min-h-11 items-center whitespace-nowrap rounded-xl bg-brand-600 px-3 text-sm font-medium text-white hover:bg-brand-700" data-testid="header-account">
            {t("public.header.account")}
          </Link>
        </div>
      </nav>
    </header>
  );
}
