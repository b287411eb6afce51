"use client";
// The registration form, phone first: ticket type radio cards (price, live availability), the person's
// details, the event's extra questions; a sold-out type offers the waitlist (that type or any type) with
// the position after joining and a one-tap leave. One zod schema with the server
// (lib/validation/registration-form.ts); the server's field errors land on the same fields. Each
// submission carries an Idempotency-Key made when the form mounts and after each success, so a double
// tap or a retry returns the first result. Prices are shown, never sent.
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { useForm, useWatch, type Path } from "react-hook-form";
import { registerAction } from "@/lib/registrations/actions/register";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { CopyButton } from "@/components/members/copy-button";
import { AnalyticsBeacon } from "@/components/public/analytics-beacon";
import { formatPrice } from "@/components/tickets/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { TextField } from "@/components/ui/form-field";
import { LinkButton } from "@/components/ui/link-button";
import { useLocale, useT } from "@/lib/i18n/client";
import type { RegistrationFieldDefinition } from "@/lib/validation/events";
import {
  defaultAnswers,
  registrationFormSchema,
  type RegistrationFormData,
  type RegistrationFormInput,
} from "@/lib/validation/registration-form";
import { CustomFields } from "./custom-fields";
import { newIdempotencyKey } from "./idempotency-key";
import { registrationMessage } from "./messages";
import { WaitlistPanel, type WaitlistState } from "./waitlist-panel";

export type FormTicketType = {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  reservationMinutes: number | null;
  prepaymentPercent: number | null;
  availableToPublic: number | null;
  soldOut: boolean;
  /** The price under the promo code applied on the page (null: none, or not for this type). Shown only: the server prices the sale. */
  promo?: { priceCents: number; discountCents: number } | null;
};

export type RegisterFormProps = {
  eventId: string;
  timezone: string;
  ticketTypes: FormTicketType[];
  initialTypeId: string | null;
  /** Signed-in person's profile; null for a guest. */
  viewer: { firstName: string; lastName: string | null; email: string | null } | null;
  fields: RegistrationFieldDefinition[];
  waitlist: WaitlistState | null;
  signInHref: string;
  signUpHref: string;
  /** The promo code applied on the page ("Have a code?"); sent with the registration and checked again. */
  promoCode?: string | null;
};

const REFRESH_MS = 30_000;

export function RegisterForm(props: RegisterFormProps) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const guest = props.viewer === null;
  const emailRequired = guest || Boolean(props.viewer?.email);
  const schema = useMemo(() => registrationFormSchema({ emailRequired, fields: props.fields }), [emailRequired, props.fields]);
  const firstAvailable = props.ticketTypes.find((tt) => !tt.soldOut)?.id ?? props.ticketTypes[0]?.id ?? "";
  const initialType = props.ticketTypes.some((tt) => tt.id === props.initialTypeId) ? props.initialTypeId! : firstAvailable;

  const form = useForm<RegistrationFormInput, unknown, RegistrationFormData>({
    resolver: zodResolver(schema),
    defaultValues: {
      eventId: props.eventId,
      ticketTypeId: initialType,
      firstName: props.viewer?.firstName ?? "",
      lastName: props.viewer?.lastName ?? "",
      email: props.viewer?.email ?? "",
      customFields: defaultAnswers(props.fields),
      promoCode: props.promoCode ?? "",
      idempotencyKey: newIdempotencyKey(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<{ key: string; code: string } | null>(null);
  const [guestSuccess, setGuestSuccess] = useState<{ path: string; url: string; mailedTo: string | null } | null>(null);

  const selectedId = useWatch({ control: form.control, name: "ticketTypeId" });
  const selected = props.ticketTypes.find((tt) => tt.id === selectedId) ?? null;
  const busy = isSubmitting || pending;

  // Live availability: re-render the server part every 30 s while the page is visible (the form keeps its state).
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && !busy) router.refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [router, busy]);

  const fieldNames = useMemo(
    () => ["ticketTypeId", "promoCode", "firstName", "lastName", "email", ...props.fields.map((f) => `customFields.${f.key}`)] as Path<RegistrationFormInput>[],
    [props.fields],
  );

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      startTransition(async () => {
        try {
          const result = await registerAction(values);
          if (result.ok) {
            form.setValue("idempotencyKey", newIdempotencyKey());
            if (result.guestTicketPath) {
              setGuestSuccess({ path: result.guestTicketPath, url: `${window.location.origin}${result.guestTicketPath}`, mailedTo: result.mailedTo });
            } else {
              router.push(`/dashboard/tickets/${result.registrationId}?new=1`);
            }
            return;
          }
          if (result.code === "VALIDATION" && applyServerFieldErrors(result.fieldErrors, fieldNames, form.setError) > 0) return;
          setFormError({ key: result.message, code: result.code });
          // Sold out, already registered, closed…: show the page's current state (availability, the existing ticket).
          if (result.code === "CONFLICT" || result.code === "NOT_FOUND") router.refresh();
        } catch {
          setFormError({ key: "errors.internal", code: "INTERNAL" });
        } finally {
          done();
        }
      });
    }),
  );

  if (guestSuccess) {
    const url = guestSuccess.url;
    return (
      <div className="flex flex-col gap-4" data-testid="guest-success">
        <Alert variant="success" title={t("registrations.register.successGuestTitle")}>
          {guestSuccess.mailedTo
            ? t("registrations.register.successGuestText", { email: guestSuccess.mailedTo })
            : t("registrations.register.successGuestTextNoMail")}
        </Alert>
        <div className="flex flex-col gap-2 rounded-xl border border-slate-200 bg-slate-50 p-3">
          <p className="text-sm font-medium text-slate-800">{t("registrations.register.guestLinkLabel")}</p>
          <p className="break-all font-mono text-sm text-slate-700" data-testid="guest-ticket-link">
            {url}
          </p>
          <div className="flex flex-wrap gap-2">
            <CopyButton value={url} label={t("registrations.register.guestLinkLabel")} text={t("registrations.register.copyLink")} />
          </div>
        </div>
        <LinkButton href={guestSuccess.path} size="lg" fullWidth>
          {t("registrations.register.openGuestTicket")}
        </LinkButton>
      </div>
    );
  }

  const soldOutSelected = selected?.soldOut ?? false;
  const allSoldOut = props.ticketTypes.length > 0 && props.ticketTypes.every((tt) => tt.soldOut);
  const dueOf = (tt: FormTicketType) => tt.promo?.priceCents ?? tt.priceCents;
  const paid = selected ? dueOf(selected) > 0 : false;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-6" aria-label={t("registrations.register.title")}>
      {guest && (
        <Alert variant="info" title={t("registrations.register.guestTitle")}>
          {t("registrations.register.guestText")}
        </Alert>
      )}
      <AnalyticsBeacon eventId={props.eventId} step="FORM_OPEN" />
      <input type="hidden" {...form.register("eventId")} />
      <input type="hidden" {...form.register("idempotencyKey")} />
      <input type="hidden" {...form.register("promoCode")} />

      <fieldset className="flex flex-col gap-3">
        <legend className="mb-3 text-base font-semibold text-slate-900">{t("registrations.register.ticketType")}</legend>
        <div role="radiogroup" aria-label={t("registrations.register.ticketType")} className="flex flex-col gap-3">
          {props.ticketTypes.map((tt) => {
            const checked = tt.id === selectedId;
            return (
              <label
                key={tt.id}
                className={cn(
                  "flex cursor-pointer gap-3 rounded-2xl border bg-white p-4 transition-colors focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-brand-600",
                  checked ? "border-brand-600 ring-1 ring-brand-600" : "border-slate-300 hover:border-slate-400",
                )}
                data-testid={`ticket-type-${tt.id}`}
              >
                <input type="radio" value={tt.id} className="mt-1 size-5 shrink-0 accent-brand-600" {...form.register("ticketTypeId")} />
                <span className="flex min-w-0 flex-1 flex-col gap-1">
                  <span className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                    <span className="font-semibold text-slate-900">{tt.name}</span>
                    <span className="flex flex-wrap items-baseline gap-x-2 font-semibold text-slate-900" data-testid="ticket-price">
                      {tt.promo && tt.promo.discountCents > 0 && (
                        <s className="text-sm font-normal text-slate-500" aria-label={t("promo.ui.priceWas", { price: formatPrice(tt.priceCents, tt.currency, locale) })}>
                          {formatPrice(tt.priceCents, tt.currency, locale)}
                        </s>
                      )}
                      {dueOf(tt) === 0 ? t("registrations.register.free") : formatPrice(dueOf(tt), tt.currency, locale)}
                    </span>
                  </span>
                  {tt.description && <span className="text-sm text-slate-600">{tt.description}</span>}
                  <span className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
                    <span className={tt.soldOut ? "font-medium text-red-700" : "text-slate-600"} data-testid="availability">
                      {tt.soldOut
                        ? t("registrations.register.soldOutBadge")
                        : tt.availableToPublic === null
                          ? t("registrations.register.unlimited")
                          : t("registrations.register.seatsLeft", { count: tt.availableToPublic })}
                    </span>
                    {dueOf(tt) > 0 && (
                      <span className="text-slate-500">
                        {tt.reservationMinutes
                          ? t("registrations.register.reservationHint", { minutes: tt.reservationMinutes })
                          : t("registrations.register.payLaterHint")}
                        {tt.prepaymentPercent ? ` · ${t("registrations.register.prepaymentHint", { percent: tt.prepaymentPercent })}` : ""}
                      </span>
                    )}
                  </span>
                </span>
              </label>
            );
          })}
        </div>
        {errors.ticketTypeId?.message && (
          <p className="text-sm font-medium text-red-700" data-field-error>
            {registrationMessage(t, errors.ticketTypeId.message)}
          </p>
        )}
        {errors.promoCode?.message && (
          <p className="text-sm font-medium text-red-700" data-field-error data-testid="promo-code-error">
            {t("promo.ui.codeField")}: {registrationMessage(t, errors.promoCode.message)}
          </p>
        )}
      </fieldset>

      {(soldOutSelected || props.waitlist) && (
        <WaitlistPanel
          eventId={props.eventId}
          selected={selected && selected.soldOut ? { id: selected.id, name: selected.name } : null}
          anyAllowed={allSoldOut}
          state={props.waitlist}
          ticketTypeNames={Object.fromEntries(props.ticketTypes.map((tt) => [tt.id, tt.name]))}
          timezone={props.timezone}
          signedIn={!guest}
          signInHref={props.signInHref}
        />
      )}

      {!soldOutSelected && (
        <>
          <fieldset className="flex flex-col gap-4">
            <legend className="mb-3 text-base font-semibold text-slate-900">{t("registrations.register.yourDetails")}</legend>
            <TextField
              label={t("registrations.register.firstName")}
              required
              error={registrationMessage(t, errors.firstName?.message) || undefined}
              inputProps={{ autoComplete: "given-name", maxLength: 100, ...form.register("firstName") }}
            />
            <TextField
              label={t("registrations.register.lastName")}
              labelSuffix={t("registrations.register.optional")}
              error={registrationMessage(t, errors.lastName?.message) || undefined}
              inputProps={{ autoComplete: "family-name", maxLength: 100, ...form.register("lastName") }}
            />
            <TextField
              label={t("registrations.register.email")}
              labelSuffix={emailRequired ? undefined : t("registrations.register.optional")}
              required={emailRequired}
              hint={
                guest
                  ? t("registrations.register.emailHintGuest")
                  : props.viewer?.email
                    ? t("registrations.register.emailHintProfile")
                    : t("registrations.register.emailHintTelegram")
              }
              error={registrationMessage(t, errors.email?.message) || undefined}
              inputProps={{ type: "email", inputMode: "email", autoComplete: "email", maxLength: 254, ...form.register("email") }}
            />
          </fieldset>

          <CustomFields fields={props.fields} register={form.register} errors={errors} />

          <div aria-live="polite">
            {formError && (
              <Alert variant="error">
                <p>{registrationMessage(t, formError.key)}</p>
                {formError.code === "UNAUTHENTICATED" && (
                  <p className="mt-2">
                    <Link href={props.signInHref} className="font-medium underline">
                      {t("registrations.register.signIn")}
                    </Link>
                  </p>
                )}
              </Alert>
            )}
          </div>

          {paid && selected && (
            <p className="text-sm text-slate-600">{t("registrations.register.priceNote", { price: formatPrice(dueOf(selected), selected.currency, locale) })}</p>
          )}
          <Button type="submit" size="lg" fullWidth pending={busy} data-testid="register-submit">
            {paid ? t("registrations.register.submitPaid") : t("registrations.register.submit")}
          </Button>
          {guest && (
            <p className="text-sm text-slate-600">
              {t("registrations.register.signInPromptGuest")}{" "}
              <Link href={props.signInHref} className="font-medium text-brand-700 underline">
                {t("registrations.register.signIn")}
              </Link>
              {" · "}
              <Link href={props.signUpHref} className="font-medium text-brand-700 underline">
                {t("registrations.register.signUp")}
              </Link>
            </p>
          )}
        </>
      )}
    </form>
  );
}

