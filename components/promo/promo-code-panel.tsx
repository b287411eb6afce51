// "Have a code?" on the register page: a plain GET form (works without JavaScript) that reloads the page
// with ?code=…; the server looks the code up (failures rate-limited per address), lists the hidden types
// it unlocks and shows the discounted prices, and the registration sends the code to be checked again at
// the sale. Server component.
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button-styles";
import { Input } from "@/components/ui/input";
import { getT } from "@/lib/i18n/server";
import type { PromoOnPage } from "@/lib/registrations/queries";

export async function PromoCodePanel(props: { action: string; typeParam: string | null; promo: PromoOnPage | null; unlocked: string[]; open?: boolean }) {
  const t = await getT();
  const { promo } = props;
  const error = promo && promo.refusal ? t.dynamic(`promo.errors.${promo.refusal}`) : null;
  const withoutCode = props.typeParam ? `${props.action}?type=${encodeURIComponent(props.typeParam)}` : props.action;
  return (
    <details open={promo !== null || props.open} className="rounded-2xl border border-slate-200 bg-white p-4" data-testid="promo-panel">
      <summary className="flex min-h-11 cursor-pointer items-center font-medium text-brand-700">{t("promo.ui.haveCode")}</summary>
      <form method="get" action={props.action} className="mt-3 flex flex-col gap-2" aria-label={t("promo.ui.haveCode")}>
        {props.typeParam && <input type="hidden" name="type" value={props.typeParam} />}
        <label htmlFor="promo-code" className="text-sm font-medium text-slate-800">
          {t("promo.ui.codeField")}
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input
            id="promo-code"
            name="code"
            defaultValue={promo?.code ?? ""}
            maxLength={32}
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "promo-code-error" : promo ? "promo-code-status" : undefined}
            className="font-mono uppercase sm:flex-1"
          />
          <button type="submit" className={buttonClasses({ variant: "secondary", size: "lg" })}>
            {t("promo.ui.apply")}
          </button>
        </div>
        {error && (
          <p id="promo-code-error" className="text-sm font-medium text-red-700" role="alert" data-field-error>
            {error}
          </p>
        )}
        {promo && !error && (
          <p id="promo-code-status" className="text-sm text-green-800" role="status" data-testid="promo-applied">
            {props.unlocked.length > 0 ? t("promo.ui.appliedTypes", { code: promo.code, types: props.unlocked.join(", ") }) : t("promo.ui.applied", { code: promo.code })}
          </p>
        )}
        {promo && (
          <Link href={withoutCode} className="inline-flex min-h-11 items-center self-start text-sm font-medium text-brand-700 underline">
            {t("promo.ui.remove")}
          </Link>
        )}
      </form>
    </details>
  );
}
