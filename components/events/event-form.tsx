"use client";
// Create or edit an event: one zod schema (lib/validation/events.ts) for this form and the server
// action; the server's field errors land on the same fields. Times are typed in the event's time zone
// (datetime-local) and stored in UTC by the service. The slug follows the title (transliterated) until
// it is edited by hand. The description is Markdown with a safe preview (lib/events/markdown.ts,
// loaded only when the preview is opened).
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { Controller, useFieldArray, useForm, useWatch, type FieldPath, type Resolver, type UseFormReturn } from "react-hook-form";
import { createEventAction, updateEventAction } from "@/lib/events/actions";
import { ImageUpload, type ImageUploadValue } from "@/components/media/image-upload";
import { COMMON_TIME_ZONES, type EventFormState } from "./form-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormField, TextField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useT } from "@/lib/i18n/client";
import { eventSlugBase } from "@/lib/events/slug";
import { dtoPreviewUrl } from "@/lib/media/urls";
import {
  EVENT_DESCRIPTION_MAX,
  EVENT_TITLE_MAX,
  LOCATION_TYPES,
  PARTICIPANTS_VISIBILITIES,
  REGISTRATION_FIELDS_MAX,
  WAITLIST_OFFER_MINUTES_MAX,
  WAITLIST_OFFER_MINUTES_MIN,
  REFUND_POLICY_HOURS_MAX,
  eventSchema,
  type EventData,
  type EventInput,
} from "@/lib/validation/events";

const selectClasses =
  "block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600";
const textareaClasses =
  "block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900 placeholder:text-slate-400 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40 aria-invalid:border-red-600";

type Props = {
  organizationSlug: string;
  groups: { id: string; name: string }[];
  /** The public URL prefix shown under the slug ("https://…/e/<org>/"). */
  publicUrlPrefix: string;
  cover: ImageUploadValue;
} & (
  | { mode: "create"; organizationId: string; defaults: EventFormState }
  | { mode: "edit"; eventId: string; status: string; defaults: EventFormState }
);

/** A test id inside an `inputProps` object literal. */
const tid = (id: string): Record<string, string> => ({ "data-testid": id });

function getError(errors: unknown, path: string): string | undefined {
  let node: unknown = errors;
  for (const part of path.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  const message = node && typeof node === "object" ? (node as { message?: unknown }).message : undefined;
  return typeof message === "string" ? message : undefined;
}

export function EventForm(props: Props) {
  const t = useT();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [navigating, startTransition] = useTransition();
  const [coverValue, setCoverValue] = useState<ImageUploadValue>(props.cover);
  const [uploading, setUploading] = useState(false);
  const slugTouched = useRef(props.mode === "edit");

  const form = useForm<EventFormState, unknown, EventData>({
    // The schema reads the form's strings (local times, numbers as text): the same one the server uses.
    resolver: zodResolver(eventSchema) as unknown as Resolver<EventFormState, unknown, EventData>,
    defaultValues: props.defaults,
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const err = (path: string) => t.dynamic(getError(errors, path)) || undefined;

  const locationType = useWatch({ control: form.control, name: "locationType" });
  const title = useWatch({ control: form.control, name: "title" });
  const timezone = useWatch({ control: form.control, name: "timezone" });
  const slug = useWatch({ control: form.control, name: "slug" });

  // The slug follows the title until edited by hand (create only: a published slug is in shared links).
  useEffect(() => {
    if (slugTouched.current) return;
    form.setValue("slug", title.trim() ? eventSlugBase(title) : "", { shouldValidate: false });
  }, [title, form]);

  const zones = COMMON_TIME_ZONES.includes(timezone as never) || !timezone ? [...COMMON_TIME_ZONES] : [timezone, ...COMMON_TIME_ZONES];

  const onSubmit = form.handleSubmit(
    () =>
      new Promise<void>((done) => {
        setFormError(null);
        setSaved(null);
        if (uploading) {
          setFormError("events.ui.form.uploading");
          done();
          return;
        }
        const values = form.getValues() as unknown as EventInput;
        startTransition(async () => {
          try {
            const result = props.mode === "create" ? await createEventAction(props.organizationId, values) : await updateEventAction(props.eventId, values);
            if (!result.ok) {
              let placed = 0;
              for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
                if (name === "_form") continue;
                form.setError(name as FieldPath<EventFormState>, { type: "server", message }, { shouldFocus: placed === 0 });
                placed += 1;
              }
              if (placed === 0) setFormError(result.message);
            } else if (props.mode === "create" && "id" in result) {
              router.push(`/dashboard/o/${encodeURIComponent(props.organizationSlug)}/events/${result.id}`);
            } else if ("changed" in result) {
              setSaved(result.changed.length === 0 ? t("events.ui.form.savedNothing") : result.notified > 0 ? t("events.ui.form.savedNotified", { count: result.notified }) : t("events.ui.form.saved"));
              form.reset(form.getValues());
              router.refresh();
            }
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
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-6" aria-label={props.mode === "create" ? t("events.ui.newTitle") : t("events.ui.editTitle")} data-testid="event-form">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}

      <Fieldset legend={t("events.ui.newTitle")} hideLegend>
        <TextField
          label={t("events.ui.form.title")}
          required
          error={err("title")}
          inputProps={{ autoComplete: "off", maxLength: EVENT_TITLE_MAX + 50, ...form.register("title"), ...tid("event-title") }}
        />
        <FormField
          label={t("events.ui.form.slug")}
          error={err("slug")}
          hint={
            <>
              {t("events.ui.form.slugHint")}
              <span className="mt-1 block break-all font-mono text-xs text-slate-500">{t("events.ui.form.slugPreview", { url: `${props.publicUrlPrefix}${slug || "…"}` })}</span>
              {props.mode === "edit" && props.status === "PUBLISHED" && <span className="mt-1 block text-amber-800">{t("events.ui.form.slugPublishedWarning")}</span>}
            </>
          }
        >
          {(control) => (
            <Input
              {...control}
              {...form.register("slug", {
                onChange: () => {
                  slugTouched.current = true;
                },
              })}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              inputMode="url"
              data-testid="event-slug"
            />
          )}
        </FormField>
        <DescriptionField form={form} error={err("description")} />
      </Fieldset>

      <Fieldset legend={t("events.ui.form.when")}>
        <FormField label={t("events.ui.form.timezone")} hint={t("events.ui.form.timezoneHint")} error={err("timezone")}>
          {(control) => (
            <select {...control} {...form.register("timezone")} className={selectClasses} data-testid="event-timezone">
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={t("events.ui.form.startsAt")}
            required
            error={err("startsAt")}
            inputProps={{ type: "datetime-local", ...form.register("startsAt"), ...tid("event-starts-at") }}
          />
          <TextField
            label={t("events.ui.form.endsAt")}
            labelSuffix={t("events.ui.form.optional")}
            error={err("endsAt")}
            inputProps={{ type: "datetime-local", ...form.register("endsAt"), ...tid("event-ends-at") }}
          />
        </div>
      </Fieldset>

      <Fieldset legend={t("events.ui.form.place")}>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("events.ui.form.locationType")}</legend>
          <div className="grid grid-cols-3 gap-2">
            {LOCATION_TYPES.map((type) => (
              <label
                key={type}
                className="flex min-h-12 cursor-pointer items-center justify-center gap-2 rounded-xl border border-slate-300 px-2 text-sm font-medium has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50 has-[:checked]:text-brand-700 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600"
              >
                <input type="radio" value={type} {...form.register("locationType")} className="sr-only" data-testid={`location-${type}`} />
                {t(`events.ui.locationType.${type}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {locationType !== "ONLINE" && (
          <TextField
            label={t("events.ui.form.locationAddress")}
            required
            error={err("locationAddress")}
            inputProps={{ autoComplete: "street-address", ...form.register("locationAddress"), ...tid("event-address") }}
          />
        )}
        {locationType !== "OFFLINE" && (
          <TextField
            label={t("events.ui.form.locationUrl")}
            required
            hint={t("events.ui.form.locationUrlHint")}
            error={err("locationUrl")}
            inputProps={{ type: "url", inputMode: "url", autoComplete: "url", placeholder: "https://", ...form.register("locationUrl"), ...tid("event-url") }}
          />
        )}
      </Fieldset>

      <Fieldset legend={t("events.ui.form.cover")}>
        <ImageUpload
          purpose="event-cover"
          organizationSlug={props.organizationSlug}
          value={coverValue}
          label={t("events.ui.form.cover")}
          hint={t("events.ui.form.coverHint")}
          error={err("coverImageId")}
          onPendingChange={setUploading}
          onChange={(media) => {
            setCoverValue(media ? { id: media.id, url: dtoPreviewUrl(media, "medium") } : null);
            form.setValue("coverImageId", media?.id ?? "", { shouldDirty: true });
            form.clearErrors("coverImageId");
          }}
        />
      </Fieldset>

      <Fieldset legend={t("events.ui.form.access")}>
        {props.groups.length === 0 && !props.defaults.groupId ? (
          <p className="text-sm text-slate-600">{t("events.ui.form.noGroups")}</p>
        ) : (
          <FormField label={t("events.ui.form.group")} hint={t("events.ui.form.groupHint")} error={err("groupId")}>
            {(control) => (
              <select {...control} {...form.register("groupId")} className={selectClasses} data-testid="event-group">
                <option value="">{t("events.ui.form.groupNone")}</option>
                {props.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("events.ui.form.participantsVisibility")}</legend>
          {PARTICIPANTS_VISIBILITIES.map((v) => (
            <label key={v} className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
              <input type="radio" value={v} {...form.register("participantsVisibility")} className="size-5 accent-brand-600" />
              {t(`events.ui.form.visibility${v}`)}
            </label>
          ))}
        </fieldset>
      </Fieldset>

      <Fieldset legend={t("events.ui.form.registration")}>
        <label className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
          <input type="checkbox" {...form.register("settings.allowGuests")} className="size-5 accent-brand-600" data-testid="event-allow-guests" />
          {t("events.ui.form.allowGuests")}
        </label>
        <label className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
          <input
            type="checkbox"
            {...form.register("settings.cancelUnpaidPrepayments")}
            className="size-5 accent-brand-600"
            data-testid="event-cancel-unpaid-prepayments"
          />
          {t("events.ui.form.cancelUnpaidPrepayments")}
        </label>
        <label className="flex min-h-11 items-start gap-3 text-sm text-slate-800">
          <input type="checkbox" {...form.register("remindersEnabled")} className="mt-0.5 size-5 shrink-0 accent-brand-600" data-testid="event-reminders-enabled" />
          <span>
            {t("events.ui.form.remindersEnabled")}
            <span className="block text-xs text-slate-500">{t("events.ui.form.remindersEnabledHint")}</span>
          </span>
        </label>
        <TextField
          label={t("events.ui.form.waitlistOfferMinutes")}
          hint={t("events.ui.form.waitlistOfferMinutesHint")}
          error={err("settings.waitlistOfferMinutes")}
          inputProps={{ type: "number", inputMode: "numeric", min: WAITLIST_OFFER_MINUTES_MIN, max: WAITLIST_OFFER_MINUTES_MAX, step: 1, ...form.register("settings.waitlistOfferMinutes"), className: "max-w-40" }}
        />
        <RegistrationFieldsEditor form={form} err={err} />
      </Fieldset>

      <Fieldset legend={t("events.ui.form.refundPolicy")}>
        <p className="text-sm text-slate-600">{t("events.ui.form.refundPolicyHint")}</p>
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label={t("events.ui.form.refundUntilHours")}
            hint={t("events.ui.form.refundUntilHoursHint")}
            error={err("settings.refundPolicy.untilHoursBeforeStart")}
            inputProps={{
              type: "number",
              inputMode: "numeric",
              min: 0,
              max: REFUND_POLICY_HOURS_MAX,
              step: 1,
              ...form.register("settings.refundPolicy.untilHoursBeforeStart"),
              className: "max-w-40",
            }}
          />
          <TextField
            label={t("events.ui.form.refundPercent")}
            hint={t("events.ui.form.refundPercentHint")}
            error={err("settings.refundPolicy.percent")}
            inputProps={{
              type: "number",
              inputMode: "numeric",
              min: 0,
              max: 100,
              step: 1,
              ...form.register("settings.refundPolicy.percent"),
              className: "max-w-40",
            }}
          />
        </div>
      </Fieldset>

      <div aria-live="polite">{saved && <Alert variant="success">{saved}</Alert>}</div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Button type="submit" size="lg" pending={isSubmitting || navigating} data-testid="save-event">
          {props.mode === "create" ? t("events.ui.form.createSubmit") : t("events.ui.form.saveSubmit")}
        </Button>
      </div>
    </form>
  );
}

function Fieldset({ legend, hideLegend, children }: { legend: string; hideLegend?: boolean; children: React.ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <legend className={cn(hideLegend ? "sr-only" : "float-left mb-1 w-full text-lg font-semibold text-slate-900")}>{legend}</legend>
      {children}
    </fieldset>
  );
}

function DescriptionField({ form, error }: { form: UseFormReturn<EventFormState, unknown, EventData>; error: string | undefined }) {
  const t = useT();
  const [tab, setTab] = useState<"write" | "preview">("write");
  const [html, setHtml] = useState<string | null>(null);
  const tabsId = useId();
  const description = useWatch({ control: form.control, name: "description" }) ?? "";

  useEffect(() => {
    if (tab !== "preview") return;
    let live = true;
    // The renderer is loaded only when the preview is opened.
    void import("@/lib/events/markdown").then(({ renderMarkdown }) => {
      if (live) setHtml(renderMarkdown(description));
    });
    return () => {
      live = false;
    };
  }, [tab, description]);

  return (
    <FormField
      label={t("events.ui.form.description")}
      labelSuffix={t("events.ui.form.optional")}
      error={error}
      hint={
        <>
          {t("events.ui.form.descriptionHint")}{" "}
          <span className={cn(description.length > EVENT_DESCRIPTION_MAX && "font-semibold text-red-700")}>
            {t("events.ui.form.descriptionCount", { count: description.length, max: EVENT_DESCRIPTION_MAX })}
          </span>
        </>
      }
    >
      {(control) => (
        <div className="flex flex-col gap-2">
          <div role="tablist" aria-label={t("events.ui.form.description")} className="flex gap-1">
            {(["write", "preview"] as const).map((x) => (
              <button
                key={x}
                type="button"
                role="tab"
                id={`${tabsId}-${x}`}
                aria-selected={tab === x}
                aria-controls={`${tabsId}-${x}-panel`}
                onClick={() => setTab(x)}
                className={cn("min-h-10 rounded-lg px-3 text-sm font-medium", tab === x ? "bg-brand-100 text-brand-700" : "text-slate-600 hover:bg-slate-100")}
                data-testid={`description-tab-${x}`}
              >
                {t(x === "write" ? "events.ui.form.write" : "events.ui.form.preview")}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`${tabsId}-write-panel`} aria-labelledby={`${tabsId}-write`} hidden={tab !== "write"}>
            <textarea {...control} {...form.register("description")} rows={8} className={textareaClasses} data-testid="event-description" />
          </div>
          <div role="tabpanel" id={`${tabsId}-preview-panel`} aria-labelledby={`${tabsId}-preview`} hidden={tab !== "preview"} className="min-h-24 rounded-xl border border-slate-200 bg-slate-50 p-4">
            {tab === "preview" &&
              (html === null ? null : html === "" ? (
                <p className="text-sm text-slate-500">{t("events.ui.form.previewEmpty")}</p>
              ) : (
                // Safe: renderMarkdown escapes raw HTML and keeps only http(s)/mailto links.
                <div className="markdown-body" data-testid="description-preview" dangerouslySetInnerHTML={{ __html: html }} />
              ))}
          </div>
        </div>
      )}
    </FormField>
  );
}

function RegistrationFieldsEditor({ form, err }: { form: UseFormReturn<EventFormState, unknown, EventData>; err: (path: string) => string | undefined }) {
  const t = useT();
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name: "settings.registrationFields" });
  const types = useWatch({ control: form.control, name: "settings.registrationFields" });

  const nextKey = () => {
    const taken = new Set((form.getValues("settings.registrationFields") ?? []).map((f) => f.key));
    for (let n = 1; ; n++) if (!taken.has(`field_${n}`)) return `field_${n}`;
  };

  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="text-sm font-medium text-slate-800">{t("events.ui.form.fields")}</legend>
      <p className="text-sm text-slate-500">{t("events.ui.form.fieldsHint")}</p>
      {err("settings.registrationFields") && <p className="text-sm font-medium text-red-700">{err("settings.registrationFields")}</p>}
      {fields.length === 0 && <p className="text-sm text-slate-600">{t("events.ui.form.fieldsEmpty")}</p>}
      <ol className="flex flex-col gap-3">
        {fields.map((field, index) => {
          const type = types?.[index]?.type ?? field.type;
          const name = types?.[index]?.label || t("events.ui.form.fieldN", { n: index + 1 });
          const base = `settings.registrationFields.${index}` as const;
          return (
            <li key={field.id} className="flex flex-col gap-3 rounded-xl border border-slate-200 p-3" data-testid="registration-field">
              <p className="text-sm font-semibold text-slate-700">{t("events.ui.form.fieldN", { n: index + 1 })}</p>
              <TextField label={t("events.ui.form.fieldLabel")} required error={err(`${base}.label`)} inputProps={{ ...form.register(`${base}.label`) }} />
              <div className="grid gap-3 sm:grid-cols-2">
                <TextField
                  label={t("events.ui.form.fieldKey")}
                  hint={t("events.ui.form.fieldKeyHint")}
                  error={err(`${base}.key`)}
                  inputProps={{ autoCapitalize: "none", spellCheck: false, ...form.register(`${base}.key`) }}
                />
                <FormField label={t("events.ui.form.fieldType")} error={err(`${base}.type`)}>
                  {(control) => (
                    <select {...control} {...form.register(`${base}.type`)} className={selectClasses}>
                      <option value="text">{t("events.ui.form.fieldTypeText")}</option>
                      <option value="select">{t("events.ui.form.fieldTypeSelect")}</option>
                      <option value="checkbox">{t("events.ui.form.fieldTypeCheckbox")}</option>
                    </select>
                  )}
                </FormField>
              </div>
              {type === "select" && (
                <Controller
                  control={form.control}
                  name={`${base}.options`}
                  render={({ field: options }) => (
                    <FormField label={t("events.ui.form.fieldOptions")} hint={t("events.ui.form.fieldOptionsHint")} error={err(`${base}.options`) ?? firstOptionError(err, base)}>
                      {(control) => (
                        <textarea
                          {...control}
                          rows={3}
                          className={textareaClasses}
                          value={(options.value ?? []).join("\n")}
                          onChange={(e) => options.onChange(e.target.value.split("\n"))}
                          onBlur={() => {
                            options.onChange((options.value ?? []).map((o) => o.trim()).filter(Boolean));
                            options.onBlur();
                          }}
                        />
                      )}
                    </FormField>
                  )}
                />
              )}
              <label className="flex min-h-11 items-center gap-3 text-sm text-slate-800">
                <input type="checkbox" {...form.register(`${base}.required`)} className="size-5 accent-brand-600" />
                {t("events.ui.form.fieldRequired")}
              </label>
              <div className="flex flex-wrap gap-2">
                <Button size="sm" variant="secondary" disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t("events.ui.form.moveUpLabel", { name })}>
                  ↑ {t("events.ui.form.moveUp")}
                </Button>
                <Button size="sm" variant="secondary" disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} aria-label={t("events.ui.form.moveDownLabel", { name })}>
                  ↓ {t("events.ui.form.moveDown")}
                </Button>
                <Button size="sm" variant="ghost" onClick={() => remove(index)} aria-label={t("events.ui.form.removeFieldLabel", { name })}>
                  {t("events.ui.form.removeField")}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      {fields.length < REGISTRATION_FIELDS_MAX && (
        <Button
          variant="secondary"
          className="self-start"
          onClick={() => append({ key: nextKey(), label: "", type: "text", required: false, options: [] }, { shouldFocus: true })}
          data-testid="add-registration-field"
        >
          + {t("events.ui.form.addField")}
        </Button>
      )}
    </fieldset>
  );
}

function firstOptionError(err: (path: string) => string | undefined, base: string): string | undefined {
  for (let i = 0; i < 50; i++) {
    const e = err(`${base}.options.${i}`);
    if (e) return e;
  }
  return undefined;
}
