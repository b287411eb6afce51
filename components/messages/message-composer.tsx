"use client";
// "New message" (phone first): subject, body (Markdown subset), audience, when (now / a date-time in the
// event's zone). Live counts for the chosen audience ("124 people: 80 by Telegram, 40 by email, 4 have
// no channel, 3 muted", debounced calls to countAudience), a preview in Russian and English (the
// Telegram bubble rebuilt from an allow-list, the email in a sandboxed iframe), then Send → "Send to 120
// people now?" → create → back to the list, which shows the progress. One zod schema with the server
// (lib/validation/messages.ts); the server's field errors land on the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { useForm, useWatch, type FieldPath } from "react-hook-form";
import { formatEventDateTime } from "@/components/events/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormField, TextField } from "@/components/ui/form-field";
import { zonedTimeToUtc } from "@/lib/events/time";
import { useLocale, useT } from "@/lib/i18n/client";
import { countAudienceAction, createEventMessageAction, previewEventMessageAction } from "@/lib/messages/actions";
import type { AudienceCounts, MessagePreview } from "@/lib/messages/types";
import {
  MESSAGE_AUDIENCES,
  MESSAGE_BODY_MAX,
  MESSAGE_SUBJECT_MAX,
  eventMessageFormSchema,
  type EventMessageForm,
  type EventMessageFormInput,
  type MessageAudience,
} from "@/lib/validation/messages";
import { reachable } from "./progress";
import { TelegramHtml } from "./telegram-html";

const FIELDS: FieldPath<EventMessageFormInput>[] = ["subject", "body", "audience", "ticketTypeId", "scheduledAt"];
const DEBOUNCE_MS = 400;

const selectClasses =
  "block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600";

export type ComposerTicketType = { id: string; name: string };

type Props = { eventId: string; timeZone: string; ticketTypes: ComposerTicketType[]; listHref: string };

export function MessageComposer(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }));
  return (
    <QueryClientProvider client={client}>
      <Composer {...props} />
    </QueryClientProvider>
  );
}

/** A local date-time in the event's zone that is not in the future. */
function isPast(local: string, timeZone: string): boolean {
  return zonedTimeToUtc(local, timeZone).getTime() <= Date.now();
}

/** `value`, once it has stopped changing for `ms`. */
/**
 * The value once it has not changed for `ms`. Keyed by its JSON (the callers pass a fresh object each
 * render): keyed by identity, every re-render — another debounce settling, a query answering — restarted
 * the timer, and the slower preview never settled.
 */
function useDebounced<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(key) as T), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}

function Composer({ eventId, timeZone, ticketTypes, listHref }: Props) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string | null>(null);
  const [when, setWhen] = useState<"now" | "later">("now");
  const [confirming, setConfirming] = useState<EventMessageForm | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const dialogTitleId = useId();
  const form = useForm<EventMessageFormInput, unknown, EventMessageForm>({
    resolver: zodResolver(eventMessageFormSchema),
    defaultValues: { eventId, subject: "", body: "", audience: "ALL_CONFIRMED", ticketTypeId: "", scheduledAt: "" },
    mode: "onTouched",
  });
  const { errors } = form.formState;
  const err = (name: FieldPath<EventMessageFormInput>) => t.dynamic((errors as Record<string, { message?: string } | undefined>)[name]?.message) || undefined;

  const audience = useWatch({ control: form.control, name: "audience" }) as MessageAudience;
  const ticketTypeId = useWatch({ control: form.control, name: "ticketTypeId" }) ?? "";
  const subject = useWatch({ control: form.control, name: "subject" }) ?? "";
  const body = useWatch({ control: form.control, name: "body" }) ?? "";

  // ── live counts for the chosen audience ──
  const countKey = useDebounced({ audience, ticketTypeId: audience === "TICKET_TYPE" ? ticketTypeId : "" }, DEBOUNCE_MS);
  const countsEnabled = countKey.audience !== "TICKET_TYPE" || countKey.ticketTypeId !== "";
  const counts = useQuery({
    queryKey: ["audience-counts", eventId, countKey.audience, countKey.ticketTypeId],
    queryFn: async (): Promise<AudienceCounts> => {
      const result = await countAudienceAction({ eventId, audience: countKey.audience, ticketTypeId: countKey.ticketTypeId || null });
      if (!result.ok) throw new Error(result.message);
      return result.counts;
    },
    enabled: countsEnabled,
    staleTime: 10_000,
  });

  // ── the preview (RU / EN), refreshed as the text settles while it is open ──
  const [previewOpen, setPreviewOpen] = useState(false);
  const [previewLocale, setPreviewLocale] = useState<"RU" | "EN">(locale === "en" ? "EN" : "RU");
  const previewKey = useDebounced({ subject: subject.trim(), body: body.trim() }, DEBOUNCE_MS * 2);
  const previewReady = previewKey.subject !== "" && previewKey.body !== "";
  const preview = useQuery({
    queryKey: ["message-preview", eventId, previewKey.subject, previewKey.body],
    queryFn: async (): Promise<MessagePreview[]> => {
      const result = await previewEventMessageAction({ eventId, subject: previewKey.subject, body: previewKey.body });
      // A field the service refuses (too long …) is named in the preview's place.
      if (!result.ok) throw new Error(Object.values(result.fieldErrors ?? {})[0] ?? result.message);
      return result.previews;
    },
    enabled: previewOpen && previewReady,
    staleTime: 60_000,
  });
  const shown = preview.data?.find((p) => p.locale === previewLocale) ?? preview.data?.[0];

  // ── send: validate → confirm → create → back to the list ──
  const placeErrors = (fieldErrors: Record<string, string> | undefined): number => {
    let placed = 0;
    for (const [name, message] of Object.entries(fieldErrors ?? {})) {
      const field = FIELDS.find((f) => f === name);
      if (!field) continue;
      form.setError(field, { type: "server", message }, { shouldFocus: placed === 0 });
      placed += 1;
    }
    return placed;
  };

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    if (when === "later" && values.scheduledAt === "") {
      form.setError("scheduledAt", { type: "required", message: "messages.validation.timeInvalid" }, { shouldFocus: true });
      return;
    }
    const next = { ...values, scheduledAt: when === "now" ? "" : values.scheduledAt, ticketTypeId: values.audience === "TICKET_TYPE" ? values.ticketTypeId : "" };
    if (next.scheduledAt !== "" && isPast(next.scheduledAt, timeZone)) {
      form.setError("scheduledAt", { type: "past", message: "messages.validation.timeInPast" }, { shouldFocus: true });
      return;
    }
    setConfirming(next);
  });

  // The confirm step opens as a modal once the values are ready (focus moves into it, Esc closes).
  useEffect(() => {
    const dialog = dialogRef.current;
    if (confirming && dialog && !dialog.open) dialog.showModal();
  }, [confirming]);

  const closeDialog = () => {
    dialogRef.current?.close();
    setConfirming(null);
  };

  const send = () =>
    startTransition(async () => {
      if (!confirming) return;
      setFormError(null);
      try {
        const result = await createEventMessageAction(confirming);
        if (!result.ok) {
          closeDialog();
          if (placeErrors(result.fieldErrors) === 0) setFormError(result.message);
          return;
        }
        router.push(listHref);
        router.refresh();
      } catch {
        closeDialog();
        setFormError("errors.internal");
      }
    });

  const reach = counts.data ? reachable(counts.data) : null;
  const confirmTitle =
    reach === null || countKey.audience !== audience
      ? t("messages.ui.confirmNoCount")
      : confirming?.scheduledAt
        ? t("messages.ui.confirmScheduleTitle", { count: reach, time: formatEventDateTime(locale, zonedTimeToUtc(confirming.scheduledAt, timeZone), timeZone) })
        : t("messages.ui.confirmSendTitle", { count: reach });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-5" data-testid="message-composer">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <input type="hidden" {...form.register("eventId")} />
      <TextField
        label={t("messages.ui.subject")}
        required
        hint={t("messages.ui.subjectHint")}
        error={err("subject")}
        inputProps={{ maxLength: MESSAGE_SUBJECT_MAX, autoComplete: "off", ...form.register("subject"), "data-testid": "message-subject-input" } as never}
      />
      <FormField label={t("messages.ui.body")} required hint={t("messages.ui.bodyHint")} error={err("body")}>
        {(control) => (
          <textarea
            {...control}
            {...form.register("body")}
            rows={8}
            maxLength={MESSAGE_BODY_MAX}
            className="block min-h-40 w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600"
            data-testid="message-body-input"
          />
        )}
      </FormField>

      <fieldset className="flex flex-col gap-2" aria-describedby={err("audience") ? "audience-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-800">{t("messages.ui.audienceLabel")}</legend>
        {MESSAGE_AUDIENCES.map((value) => (
          <label key={value} className="flex min-h-11 cursor-pointer items-center gap-3 rounded-xl border border-slate-200 px-3 has-checked:border-brand-600 has-checked:bg-brand-50">
            <input type="radio" value={value} {...form.register("audience")} className="size-5 accent-brand-600" data-testid={`audience-${value}`} />
            <span className="text-base text-slate-900">{t.dynamic(`messages.ui.audience.${value}`)}</span>
          </label>
        ))}
        {err("audience") && (
          <p id="audience-error" className="text-sm font-medium text-red-700" data-field-error>
            {err("audience")}
          </p>
        )}
      </fieldset>
      {audience === "TICKET_TYPE" && (
        <FormField label={t("messages.ui.ticketType")} required error={err("ticketTypeId")}>
          {(control) => (
            <select {...control} {...form.register("ticketTypeId")} className={selectClasses} data-testid="message-ticket-type">
              <option value="">{t("messages.ui.ticketTypeChoose")}</option>
              {ticketTypes.map((tt) => (
                <option key={tt.id} value={tt.id}>
                  {tt.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
      )}
      <AudienceSummary counts={countsEnabled ? counts.data : undefined} loading={countsEnabled && (counts.isFetching || countKey.audience !== audience)} error={counts.isError} />

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-800">{t("messages.ui.when")}</legend>
        <div className="flex flex-wrap gap-2">
          {(["now", "later"] as const).map((value) => (
            <label key={value} className="flex min-h-11 cursor-pointer items-center gap-3 rounded-xl border border-slate-200 px-3 has-checked:border-brand-600 has-checked:bg-brand-50">
              <input
                type="radio"
                name="when"
                value={value}
                checked={when === value}
                onChange={() => {
                  setWhen(value);
                  form.clearErrors("scheduledAt");
                }}
                className="size-5 accent-brand-600"
                data-testid={`when-${value}`}
              />
              <span className="text-base text-slate-900">{t(value === "now" ? "messages.ui.now" : "messages.ui.later")}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {when === "later" && (
        <TextField
          label={t("messages.ui.scheduledAt")}
          required
          hint={t("messages.ui.scheduledAtHint", { timezone: timeZone })}
          error={err("scheduledAt")}
          inputProps={{ type: "datetime-local", ...form.register("scheduledAt"), "data-testid": "message-scheduled-at" } as never}
        />
      )}

      <section aria-label={t("messages.ui.preview")} className="flex flex-col gap-3">
        <Button variant="secondary" className="self-start" aria-expanded={previewOpen} onClick={() => setPreviewOpen((open) => !open)} data-testid="message-preview-toggle">
          {previewOpen ? t("messages.ui.previewHide") : t("messages.ui.preview")}
        </Button>
        {previewOpen && (
          <div className="flex flex-col gap-3" data-testid="message-preview">
            <div role="radiogroup" aria-label={t("messages.ui.previewLanguage")} className="flex gap-2">
              {(["RU", "EN"] as const).map((value) => (
                <button
                  key={value}
                  type="button"
                  role="radio"
                  aria-checked={previewLocale === value}
                  onClick={() => setPreviewLocale(value)}
                  className={cn(
                    "min-h-11 rounded-full border px-4 text-sm font-medium",
                    previewLocale === value ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 text-slate-700",
                  )}
                  data-testid={`preview-locale-${value}`}
                >
                  {t(value === "RU" ? "messages.ui.previewRu" : "messages.ui.previewEn")}
                </button>
              ))}
            </div>
            {!previewReady ? (
              <p className="text-sm text-slate-600">{t("messages.ui.previewEmpty")}</p>
            ) : preview.isError ? (
              <Alert variant="error">{t.dynamic(preview.error instanceof Error ? preview.error.message : "errors.internal")}</Alert>
            ) : !shown ? (
              <p role="status" className="text-sm text-slate-600">
                {t("messages.ui.previewLoading")}
              </p>
            ) : (
              <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" aria-busy={preview.isFetching || undefined}>
                <div className="flex min-w-0 flex-col gap-2">
                  <h3 className="text-sm font-medium text-slate-800">{t("messages.ui.previewTelegram")}</h3>
                  <div className="rounded-2xl bg-sky-100/70 p-3">
                    <div className="max-w-full rounded-2xl rounded-bl-sm bg-white px-3 py-2 text-[15px] leading-snug text-slate-900 shadow-sm [overflow-wrap:anywhere]" data-testid="preview-telegram" lang={shown.locale === "EN" ? "en" : "ru"}>
                      <TelegramHtml html={shown.telegramHtml} />
                    </div>
                  </div>
                </div>
                <div className="flex min-w-0 flex-col gap-2">
                  <h3 className="text-sm font-medium text-slate-800">{t("messages.ui.previewEmail")}</h3>
                  <p className="text-sm break-words text-slate-700" data-testid="preview-email-subject">
                    {t("messages.ui.previewEmailSubject", { subject: shown.email.subject })}
                  </p>
                  <iframe
                    title={t("messages.ui.previewEmailFrame", { subject: shown.email.subject })}
                    srcDoc={shown.email.html}
                    sandbox=""
                    referrerPolicy="no-referrer"
                    className="h-96 w-full rounded-xl border border-slate-200 bg-white"
                    data-testid="preview-email"
                  />
                </div>
              </div>
            )}
          </div>
        )}
      </section>

      <Button type="submit" pending={pending} className="self-stretch sm:self-start" data-testid="message-send">
        {when === "now" ? t("messages.ui.send") : t("messages.ui.schedule")}
      </Button>

      <dialog
        ref={dialogRef}
        aria-labelledby={dialogTitleId}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
        onCancel={(e) => {
          if (pending) e.preventDefault();
        }}
        onClose={() => setConfirming(null)}
        data-testid="message-confirm"
      >
        <div className="flex flex-col gap-4 p-5 sm:p-6">
          <h2 id={dialogTitleId} className="text-lg font-semibold text-slate-900">
            {confirmTitle}
          </h2>
          <p className="text-sm text-slate-600">{t("messages.ui.confirmText")}</p>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={closeDialog} disabled={pending}>
              {t("messages.ui.back2")}
            </Button>
            <Button onClick={send} pending={pending} data-testid="message-send-confirm">
              {confirming?.scheduledAt ? t("messages.ui.confirmSchedule") : t("messages.ui.confirmSend")}
            </Button>
          </div>
        </div>
      </dialog>
    </form>
  );
}

function AudienceSummary({ counts, loading, error }: { counts: AudienceCounts | undefined; loading: boolean; error: boolean }) {
  const t = useT();
  return (
    <div
      aria-live="polite"
      className="rounded-xl bg-slate-50 p-3 text-sm text-slate-800"
      data-testid="audience-counts"
      data-loading={loading || undefined}
      data-recipients={counts?.recipients}
      data-telegram={counts?.telegram}
      data-email={counts?.email}
      data-no-channel={counts?.noChannel}
      data-muted={counts?.muted}
    >
      {error ? (
        <p className="text-red-700">{t("messages.ui.counts.error")}</p>
      ) : !counts ? (
        <p className="text-slate-600">{loading ? t("messages.ui.counts.loading") : "\u00a0"}</p>
      ) : counts.recipients === 0 && counts.muted === 0 ? (
        <p>{t("messages.ui.counts.none")}</p>
      ) : (
        <div className={cn("flex flex-col gap-1", loading && "opacity-60")}>
          <p className="font-medium">{t("messages.ui.counts.summary", { count: counts.recipients, telegram: counts.telegram, email: counts.email })}</p>
          {counts.noChannel > 0 && <p className="text-amber-800">{t("messages.ui.counts.noChannel", { count: counts.noChannel })}</p>}
          {counts.muted > 0 && <p className="text-slate-600">{t("messages.ui.counts.muted", { count: counts.muted })}</p>}
        </div>
      )}
    </div>
  );
}
