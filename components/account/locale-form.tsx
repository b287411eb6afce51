"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { updateLocaleAction } from "@/lib/identity/actions/account";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import { useT } from "@/lib/i18n/client";
import { localeSchema, type LocaleData, type LocaleInput } from "@/lib/validation/account";

/** Preferred language: saved on the account (mails, bot) and applied to the UI at once. */
export function LocaleForm({ locale }: { locale: Locale }) {
  const t = useT();
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const form = useForm<LocaleInput, unknown, LocaleData>({ resolver: zodResolver(localeSchema), defaultValues: { locale } });
  const { isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setStatus(null);
    try {
      const result = await updateLocaleAction(values);
      setStatus(result.ok ? { ok: true, message: "account.language.saved" } : { ok: false, message: result.message });
      // The locale is part of the route (proxy.ts rewrites from the cookie): load the page again in it.
      if (result.ok && values.locale !== locale) window.location.reload();
    } catch {
      setStatus({ ok: false, message: "errors.internal" });
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-sm font-medium text-slate-800">{t("account.language.legend")}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {LOCALES.map((value) => (
            <label
              key={value}
              lang={value}
              className="flex min-h-12 cursor-pointer items-center gap-3 rounded-xl border border-slate-300 px-3.5 text-base text-slate-900 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
            >
              <input type="radio" value={value} className="size-5 accent-brand-600" {...form.register("locale")} />
              {t(`locale.${value}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {status && <Alert variant={status.ok ? "success" : "error"}>{t.dynamic(status.message)}</Alert>}
      <Button type="submit" variant="secondary" pending={isSubmitting} className="self-start">
        {t("account.language.save")}
      </Button>
    </form>
  );
}
