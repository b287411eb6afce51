import { headers } from "next/headers";
import { setLocaleAction } from "@/lib/i18n/actions";
import { PATHNAME_HEADER } from "@/lib/identity/constants";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { getLocale, getT } from "@/lib/i18n/server";
import { SubmitButton } from "@/components/ui/submit-button";

/**
 * One button that switches to the other language (the UI has two). A plain form posting to a server
 * action: works before hydration and without JavaScript.
 */
export async function LocaleSwitch() {
  const [locale, t, requestHeaders] = await Promise.all([getLocale(), getT(), headers()]);
  // The page the browser shows (proxy.ts forwards it): the action redirects back to it.
  const returnTo = requestHeaders.get(PATHNAME_HEADER) ?? "";
  const target: Locale = LOCALES.find((l) => l !== locale) ?? "ru";
  const language = t(`locale.${target}`);
  return (
    <form action={setLocaleAction}>
      <input type="hidden" name="locale" value={target} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <SubmitButton
        variant="ghost"
        size="icon"
        className="font-semibold uppercase"
        aria-label={t("locale.switchTo", { language })}
        title={language}
        lang={target}
        data-testid="locale-switch"
      >
        {target}
      </SubmitButton>
    </form>
  );
}
