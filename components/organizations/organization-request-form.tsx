"use client";
// The organization request form: name → suggested slug (transliterated), a debounced live check of
// the slug, and the server's field errors on the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { checkSlugAction, submitOrganizationRequestAction } from "@/lib/organizations/actions/request";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormField, TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { isValidSlug, suggestSlug } from "@/lib/organizations/slug";
import {
  ORGANIZATION_DESCRIPTION_MAX,
  ORGANIZATION_SLUG_MAX,
  ORGANIZATION_SLUG_MIN,
  organizationRequestSchema,
  type OrganizationRequestData,
  type OrganizationRequestInput,
} from "@/lib/validation/organizations";
import { Textarea } from "./textarea";

const FIELDS = ["name", "slug", "description"] as const;
const CHECK_DELAY_MS = 400;

type SlugStatus = "idle" | "checking" | "available" | "taken" | "invalid" | "error";

export function OrganizationRequestForm({ publicBaseUrl }: { publicBaseUrl: string }) {
  const t = useT();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [slugStatus, setSlugStatus] = useState<SlugStatus>("idle");
  const [navigating, startTransition] = useTransition();
  const slugEdited = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sequence = useRef(0);

  const form = useForm<OrganizationRequestInput, unknown, OrganizationRequestData>({
    resolver: zodResolver(organizationRequestSchema),
    defaultValues: { name: "", slug: "", description: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const pending = isSubmitting || navigating;
  const slugValue = useWatch({ control: form.control, name: "slug" }) ?? "";

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  /** Debounced availability check; only the latest answer counts. */
  function scheduleCheck(raw: string) {
    if (timer.current) clearTimeout(timer.current);
    const slug = raw.trim().toLowerCase();
    const id = ++sequence.current;
    if (!slug) return setSlugStatus("idle");
    if (!isValidSlug(slug, { minLength: ORGANIZATION_SLUG_MIN, maxLength: ORGANIZATION_SLUG_MAX })) return setSlugStatus("invalid");
    setSlugStatus("checking");
    timer.current = setTimeout(async () => {
      try {
        const result = await checkSlugAction(slug);
        if (id !== sequence.current) return;
        setSlugStatus(result.ok ? result.status : "error");
      } catch {
        if (id === sequence.current) setSlugStatus("error");
      }
    }, CHECK_DELAY_MS);
  }

  const nameField = form.register("name");
  const slugField = form.register("slug");

  function onNameChange(value: string) {
    if (slugEdited.current) return;
    const suggestion = suggestSlug(value);
    form.setValue("slug", suggestion, { shouldValidate: form.formState.isSubmitted });
    scheduleCheck(suggestion);
  }

  function onSlugChange(value: string) {
    // Typing a slug stops the suggestions; clearing the field brings them back.
    slugEdited.current = value.trim() !== "";
    scheduleCheck(value);
  }

  async function submit(values: OrganizationRequestData) {
    setFormError(null);
    try {
      const result = await submitOrganizationRequestAction(values);
      if (result.ok) {
        form.reset();
        slugEdited.current = false;
        setSlugStatus("idle");
        startTransition(() => router.refresh());
      } else {
        const placed = applyServerFieldErrors(result.fieldErrors, FIELDS, form.setError);
        if (result.fieldErrors?.slug === "organizations.validation.slugTaken") setSlugStatus("taken");
        if (placed === 0) setFormError(result.message);
      }
    } catch {
      setFormError("errors.internal");
    }
  }

  const error = (message: string | undefined) => t.dynamic(message) || undefined;
  const previewSlug = slugValue.trim().toLowerCase() || "…";

  const statusText: Record<Exclude<SlugStatus, "idle">, string> = {
    checking: t("organizations.request.slugChecking"),
    available: t("organizations.request.slugAvailable"),
    taken: t("organizations.request.slugTaken"),
    invalid: t("organizations.request.slugInvalid"),
    error: t("organizations.request.slugCheckFailed"),
  };
  const statusTone: Record<Exclude<SlugStatus, "idle">, string> = {
    checking: "text-slate-500",
    available: "text-emerald-700",
    taken: "text-red-700",
    invalid: "text-slate-500",
    error: "text-slate-500",
  };

  return (
    <form onSubmit={(e) => void form.handleSubmit(submit)(e)} noValidate className="flex flex-col gap-4" data-testid="organization-request-form">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <TextField
        label={t("organizations.request.name")}
        error={error(errors.name?.message)}
        required
        inputProps={{
          autoComplete: "organization",
          placeholder: t("organizations.request.namePlaceholder"),
          maxLength: 255,
          ...nameField,
          onChange: (e) => {
            void nameField.onChange(e);
            onNameChange(e.target.value);
          },
        }}
      />
      <FormField
        label={t("organizations.request.slug")}
        error={error(errors.slug?.message)}
        hint={t("organizations.request.slugHint", { url: `${publicBaseUrl}${previewSlug}` })}
        required
      >
        {(control) => (
          <div className="flex flex-col gap-1.5">
            <input
              {...control}
              {...slugField}
              onChange={(e) => {
                void slugField.onChange(e);
                onSlugChange(e.target.value);
              }}
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              inputMode="url"
              maxLength={ORGANIZATION_SLUG_MAX}
              className={cn(
                "block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3.5 font-mono text-base text-slate-900",
                "focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40",
                "aria-invalid:border-red-600",
                slugStatus === "available" && !errors.slug && "border-emerald-600",
              )}
            />
            <p aria-live="polite" className={cn("min-h-5 text-sm font-medium", slugStatus !== "idle" && statusTone[slugStatus])} data-testid="slug-status" data-status={slugStatus}>
              {slugStatus !== "idle" && !errors.slug ? statusText[slugStatus] : ""}
            </p>
          </div>
        )}
      </FormField>
      <FormField
        label={t("organizations.request.description")}
        labelSuffix={`(${t("organizations.request.optional")})`}
        hint={t("organizations.request.descriptionHint")}
        error={error(errors.description?.message)}
      >
        {(control) => <Textarea {...control} rows={5} maxLength={ORGANIZATION_DESCRIPTION_MAX} {...form.register("description")} />}
      </FormField>
      <Button type="submit" size="lg" fullWidth pending={pending} className="sm:w-auto sm:self-start">
        {pending ? t("organizations.request.submitting") : t("organizations.request.submit")}
      </Button>
    </form>
  );
}
