import Link from "next/link";
import { signOutAction } from "@/lib/identity/actions/auth";
import { LinkButton } from "@/components/ui/link-button";
import { SubmitButton } from "@/components/ui/submit-button";
import { getCurrentUser } from "@/lib/identity/session";
import { getT } from "@/lib/i18n/server";
import { LocaleSwitch } from "./locale-switch";

export async function SiteHeader() {
  const [user, t] = await Promise.all([getCurrentUser(), getT()]);
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
      <nav aria-label={t("header.mainNav")} className="mx-auto flex h-16 max-w-5xl items-center gap-2 px-4 sm:gap-3">
        <Link href="/" className="flex min-h-11 shrink-0 items-center gap-2 rounded-lg pr-1 text-lg font-bold text-slate-900">
          <Logo />
          {/* Signed in on a narrow phone, the name needs the room: the word mark stays for screen readers. */}
          <span className={user ? "max-[399px]:sr-only" : undefined}>{t("common.appName")}</span>
        </Link>
        <div className="ml-auto flex min-w-0 items-center gap-1 sm:gap-2">
          <LocaleSwitch />
          {user ? (
            <>
              <Link
                href="/dashboard"
                className="flex min-h-11 min-w-0 items-center rounded-lg px-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
                aria-label={t("header.signedInAs", { name: user.name })}
                title={t("header.signedInAs", { name: user.name })}
                data-testid="header-user"
              >
                {/* Phones show the first name, wider screens the full name. */}
                <span className="block truncate sm:hidden">{user.firstName}</span>
                <span className="hidden truncate sm:block sm:max-w-[16rem]">{user.name}</span>
              </Link>
              <form action={signOutAction}>
                <SubmitButton variant="secondary" size="sm">
                  {t("header.signOut")}
                </SubmitButton>
              </form>
            </>
          ) : (
            <>
              <LinkButton href="/login" variant="ghost" size="sm">
                {t("header.signIn")}
              </LinkButton>
              {/* On phones the landing page's own call to action offers sign-up. */}
              <span className="hidden sm:contents">
                <LinkButton href="/register" size="sm">
                  {t("header.signUp")}
                </LinkButton>
              </span>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}

function Logo() {
  return (
    <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true">
      <rect width="32" height="32" rx="9" className="fill-brand-600" />
      <path d="M9 22l5.5-12h3L23 22h-3.2l-1.1-2.6h-5.4L12.2 22H9zm5.3-5.2h3.4L16 12.6l-1.7 4.2z" fill="#fff" />
    </svg>
  );
}
