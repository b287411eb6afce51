import { setLocaleAction } from "@/lib/i18n/actions";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { getLocale, getT } from "@/lib/i18n/server";
import { SubmitButton } from "@/components/ui/submit-button";

/**
 * One button that switches to the other language (the UI has two). A plain form posting to a server
 * action: works before hydration and without JavaScript.
 */
export async function LocaleSwitch() {
  const [locale, t] = await Promise.all([getLocale(), getT()]);
  const target: Locale = LOCALES.find((l) => l !== locale) ?? "ru";
  const language = t(`locale.${target}`);
  return (
    <form action={setLocaleAction}>
      <input type="hidden" name="locale" value={target} />
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
