"use client";
// Create or edit a ticket type: every field of the model. The price is typed in major units (the
// database keeps minor units), the sales window in the event's time zone; "unlimited" clears the
// quantity. The same schema as the server (makeTicketTypeSchema(timeZone)); the server's field errors
// — e.g. a quantity below what is already sold and reserved — land on the same fields.
// The display order is changed with the up/down buttons of the list, not here.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { useForm, type FieldPath, type Resolver } from "react-hook-form";
import { createTicketTypeAction, updateTicketTypeAction } from "@/lib/events/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { EMPTY_TICKET_TYPE, type TicketTypeFormState } from "./form-values";
import {
  CURRENCIES,
  RESERVATION_MINUTES_MAX,
  RESERVATION_MINUTES_MIN,
  TICKET_DESCRIPTION_MAX,
  TICKET_NAME_MAX,
  TICKET_QUANTITY_MAX,
  makeTicketTypeSchema,
  type TicketTypeData,
  type TicketTypeInput,
} from "@/lib/validation/events";

const FIELDS: FieldPath<TicketTypeFormState>[] = [
  "name",
  "description",
  "price",
  "currency",
  "quantity",
  "reservationMinutes",
  "prepaymentPercent",
  "salesStart",
  "salesEnd",
  "isActive",
  "isHidden",
];

const selectClasses =
  "block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600";

type Props = {
  eventId: string;
  timeZone: string;
  defaults: TicketTypeFormState;
  /** Seats already sold + reserved: the quantity cannot go below (the server checks again). */
  taken?: number;
  onDone?: () => void;
  testId?: string;
} & ({ mode: "create" } | { mode: "edit"; ticketTypeId: string });

export function TicketTypeForm(props: Props) {
  const t = useT();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const schema = useMemo(() => makeTicketTypeSchema(props.timeZone), [props.timeZone]);
  const form = useForm<TicketTypeFormState, unknown, TicketTypeData>({
    resolver: zodResolver(schema) as unknown as Resolver<TicketTypeFormState, unknown, TicketTypeData>,
    defaultValues: props.defaults,
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const [unlimited, setUnlimited] = useState(props.defaults.quantity === "");
  const err = (name: keyof TicketTypeFormState) => t.dynamic(errors[name]?.message) || undefined;
  const prefix = props.mode === "create" ? "new-ticket" : `ticket-${props.ticketTypeId}`;

  const onSubmit = form.handleSubmit(
    () =>
      new Promise<void>((done) => {
        setFormError(null);
        setSaved(null);
        const values: TicketTypeInput = { ...form.getValues(), quantity: unlimited ? "" : form.getValues("quantity") };
        startTransition(async () => {
          try {
            const result =
              props.mode === "create"
                ? await createTicketTypeAction(props.eventId, props.timeZone, values)
                : await updateTicketTypeAction(props.eventId, props.ticketTypeId, props.timeZone, values);
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
            if (props.mode === "create") {
              form.reset(EMPTY_TICKET_TYPE);
              setUnlimited(true);
              setSaved(t("events.ui.tickets.form.created"));
            } else {
              form.reset(form.getValues());
              setSaved(t("events.ui.tickets.form.saved"));
            }
            router.refresh();
            props.onDone?.();
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
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid={props.testId ?? `${prefix}-form`}>
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <TextField label={t("events.ui.tickets.form.name")} required error={err("name")} inputProps={{ autoComplete: "off", maxLength: TICKET_NAME_MAX + 20, ...form.register("name"), ...tid(`${prefix}-name`) }} />
      <FormField label={t("events.ui.tickets.form.description")} error={err("description")}>
        {(control) => (
          <textarea
            {...control}
            {...form.register("description")}
            rows={2}
            maxLength={TICKET_DESCRIPTION_MAX + 100}
            className="block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600"
          />
        )}
      </FormField>
      <div className="grid grid-cols-[1fr_auto] gap-3">
        <TextField
          label={t("events.ui.tickets.form.price")}
          hint={t("events.ui.tickets.form.priceHint")}
          error={err("price")}
          inputProps={{ inputMode: "decimal", autoComplete: "off", placeholder: "0", ...form.register("price"), ...tid(`${prefix}-price`) }}
        />
        <FormField label={t("events.ui.tickets.form.currency")} error={err("currency")}>
          {(control) => (
            <select {...control} {...form.register("currency")} className={selectClasses} data-testid={`${prefix}-currency`}>
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <div className="flex flex-col gap-2">
        <TextField
          label={t("events.ui.tickets.form.quantity")}
          error={err("quantity")}
          hint={props.taken ? t("events.ui.tickets.form.takenHint", { count: props.taken }) : undefined}
          inputProps={{
            type: "number",
            inputMode: "numeric",
            min: Math.max(1, props.taken ?? 0),
            max: TICKET_QUANTITY_MAX,
            step: 1,
            disabled: unlimited,
            ...form.register("quantity"),
            ...tid(`${prefix}-quantity`),
          }}
        />
        <label className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={unlimited}
            onChange={(e) => {
              setUnlimited(e.target.checked);
              if (e.target.checked) {
                form.setValue("quantity", "");
                form.clearErrors("quantity");
              }
            }}
            className="size-5 accent-brand-600"
            data-testid={`${prefix}-unlimited`}
          />
          {t("events.ui.tickets.form.unlimited")}
        </label>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label={t("events.ui.tickets.form.reservationMinutes")}
          hint={t("events.ui.tickets.form.reservationHint")}
          error={err("reservationMinutes")}
          inputProps={{ type: "number", inputMode: "numeric", min: RESERVATION_MINUTES_MIN, max: RESERVATION_MINUTES_MAX, step: 1, ...form.register("reservationMinutes") }}
        />
        <TextField
          label={t("events.ui.tickets.form.prepaymentPercent")}
          hint={t("events.ui.tickets.form.prepaymentHint")}
          error={err("prepaymentPercent")}
          inputProps={{ type: "number", inputMode: "numeric", min: 1, max: 99, step: 1, ...form.register("prepaymentPercent") }}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label={t("events.ui.tickets.form.salesStart")} error={err("salesStart")} inputProps={{ type: "datetime-local", ...form.register("salesStart") }} />
        <TextField label={t("events.ui.tickets.form.salesEnd")} error={err("salesEnd")} inputProps={{ type: "datetime-local", ...form.register("salesEnd") }} />
      </div>
      <p className="-mt-2 text-sm text-slate-500">{t("events.ui.tickets.form.salesHint", { zone: props.timeZone })}</p>
      <label className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
        <input type="checkbox" {...form.register("isActive")} className="size-5 accent-brand-600" data-testid={`${prefix}-active`} />
        {t("events.ui.tickets.form.isActive")}
      </label>
      <label className="flex min-h-11 items-start gap-3 text-sm text-slate-800">
        <input type="checkbox" {...form.register("isHidden")} className="mt-0.5 size-5 shrink-0 accent-brand-600" data-testid={`${prefix}-hidden`} />
        <span className="flex flex-col gap-0.5">
          {t("promo.ui.hiddenLabel")}
          <span className="text-slate-500">{t("promo.ui.hiddenHint")}</span>
        </span>
      </label>
      <div aria-live="polite">{saved && <Alert variant="success">{saved}</Alert>}</div>
      <Button type="submit" pending={isSubmitting || pending} className="self-start" data-testid={`${prefix}-submit`}>
        {props.mode === "create" ? t("events.ui.tickets.form.create") : t("events.ui.tickets.form.save")}
      </Button>
    </form>
  );
}

const tid = (id: string): Record<string, string> => ({ "data-testid": id });
