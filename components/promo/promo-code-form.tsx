"use client";
// The organizer's "New promo code" form (phone first): code, kind + value, ticket type or the whole
// event, usage limit, validity window in the event's zone. One zod schema with the server
// (lib/validation/promo.ts); the server's field errors land on the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm, useWatch, type FieldPath } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { createPromoCodeAction } from "@/lib/promo/actions";
import { EMPTY_PROMO_CODE_FORM, promoCodeFormSchema, type PromoCodeFormData, type PromoCodeFormInput } from "@/lib/validation/promo";

const FIELDS: FieldPath<PromoCodeFormInput>[] = ["code", "discountKind", "discountValue", "ticketTypeId", "usageLimit", "validFrom", "validUntil"];

const selectClasses =
  "block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600";

export type PromoFormTicketType = { id: string; name: string; currency: string; isHidden: boolean };

export function PromoCodeForm(props: { eventId: string; timeZone: string; ticketTypes: PromoFormTicketType[] }) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [currency, setCurrency] = useState<string>(props.ticketTypes[0]?.currency ?? "RUB");
  const form = useForm<PromoCodeFormInput, unknown, PromoCodeFormData>({
    resolver: zodResolver(promoCodeFormSchema),
    defaultValues: { ...EMPTY_PROMO_CODE_FORM, eventId: props.eventId },
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const kind = useWatch({ control: form.control, name: "discountKind" });
  const typeId = useWatch({ control: form.control, name: "ticketTypeId" });
  const err = (name: FieldPath<PromoCodeFormInput>) => t.dynamic((errors as Record<string, { message?: string } | undefined>)[name]?.message) || undefined;

  const onSubmit = form.handleSubmit(
    (values) =>
      new Promise<void>((done) => {
        setFormError(null);
        setSaved(null);
        startTransition(async () => {
          try {
            const result = await createPromoCodeAction({ ...values, currency: values.discountKind === "FIXED" && !values.ticketTypeId ? (currency as "RUB") : null });
            if (!result.ok) {
              let placed = 0;
              for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
                const field = FIELDS.find((f) => f === name);
                if (!field) continue;
                form.setError(field, { type: "server", message }, { shouldFocus: placed === 0 });
                placed += 1;
              }
              if (placed === 0) setFormError(result.message);
              return;
            }
            form.reset({ ...EMPTY_PROMO_CODE_FORM, eventId: props.eventId });
            setSaved(t("promo.ui.created", { code: result.code }));
            router.refresh();
          } catch {
            setFormError("errors.internal");
          } finally {
            done();
          }
        });
      }),
    () => setSaved(null),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid="promo-code-form">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <input type="hidden" {...form.register("eventId")} />
      <TextField
        label={t("promo.ui.code")}
        required
        hint={t("promo.ui.codeHint")}
        error={err("code")}
        inputProps={{ autoComplete: "off", autoCapitalize: "characters", spellCheck: false, maxLength: 40, className: "font-mono uppercase", ...form.register("code"), "data-testid": "promo-code-input" } as never}
      />
      <div className="grid grid-cols-[auto_1fr] gap-3">
        <FormField label={t("promo.ui.kind")} error={err("discountKind")}>
          {(control) => (
            <select {...control} {...form.register("discountKind")} className={selectClasses} data-testid="promo-kind">
              <option value="PERCENT">{t("promo.ui.kindPercent")}</option>
              <option value="FIXED">{t("promo.ui.kindFixed")}</option>
            </select>
          )}
        </FormField>
        <TextField
          label={t("promo.ui.value")}
          required
          hint={kind === "FIXED" ? t("promo.ui.valueFixedHint") : t("promo.ui.valuePercentHint")}
          error={err("discountValue")}
          inputProps={{ inputMode: kind === "FIXED" ? "decimal" : "numeric", autoComplete: "off", ...form.register("discountValue"), "data-testid": "promo-value" } as never}
        />
      </div>
      <FormField label={t("promo.ui.ticketType")} error={err("ticketTypeId")}>
        {(control) => (
          <select {...control} {...form.register("ticketTypeId")} className={selectClasses} data-testid="promo-ticket-type">
            <option value="">{t("promo.ui.wholeEvent")}</option>
            {props.ticketTypes.map((tt) => (
              <option key={tt.id} value={tt.id}>
                {tt.isHidden ? t("promo.ui.hiddenSuffix", { name: tt.name }) : tt.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {kind === "FIXED" && !typeId && (
        <FormField label={t("promo.ui.currency")}>
          {(control) => (
            <select {...control} value={currency} onChange={(e) => setCurrency(e.target.value)} className={selectClasses} data-testid="promo-currency">
              <option value="RUB">RUB</option>
              <option value="USD">USD</option>
              <option value="EUR">EUR</option>
            </select>
          )}
        </FormField>
      )}
      <TextField
        label={t("promo.ui.usageLimit")}
        hint={t("promo.ui.usageLimitHint")}
        error={err("usageLimit")}
        inputProps={{ type: "number", inputMode: "numeric", min: 1, step: 1, ...form.register("usageLimit"), "data-testid": "promo-limit" } as never}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label={t("promo.ui.validFrom")} error={err("validFrom")} inputProps={{ type: "datetime-local", ...form.register("validFrom") }} />
        <TextField label={t("promo.ui.validUntil")} error={err("validUntil")} inputProps={{ type: "datetime-local", ...form.register("validUntil") }} />
      </div>
      <p className="-mt-2 text-sm text-slate-500">{t("promo.ui.windowHint", { timezone: props.timeZone })}</p>
      <div aria-live="polite">{saved && <Alert variant="success">{saved}</Alert>}</div>
      <Button type="submit" pending={isSubmitting || pending} className="self-start" data-testid="promo-submit">
        {t("promo.ui.create")}
      </Button>
    </form>
  );
}
