"use client";
// "New token" (phone first): name, the scopes with a one-line explanation each (organization tokens),
// the expiry. One zod schema with the server (lib/validation/api-tokens.ts); the server's field errors
// land on the same fields. The created token is shown ONCE (CreatedToken) with a copy button and a curl
// example; the list above refreshes.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm, type FieldPath, type Resolver } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { createOrganizationTokenAction, createPersonalTokenAction } from "@/lib/api/actions";
import { ORGANIZATION_SCOPES } from "@/lib/api/scopes";
import { useT } from "@/lib/i18n/client";
import { organizationTokenFormSchema, personalTokenFormSchema, TOKEN_EXPIRY_CHOICES, TOKEN_NAME_MAX, type OrganizationTokenForm } from "@/lib/validation/api-tokens";
import { CreatedToken } from "./created-token";

type Props = { kind: "organization"; organizationId: string; curlUrl: string } | { kind: "personal"; curlUrl: string };

const FIELDS: FieldPath<OrganizationTokenForm>[] = ["name", "scopes", "expiry"];
const EMPTY: OrganizationTokenForm = { name: "", scopes: [], expiry: "90" };
type FormOutput = z.output<typeof organizationTokenFormSchema>;
// A personal token has no scopes to choose (tickets:read): its form is checked by its own schema.
const RESOLVERS = {
  organization: zodResolver(organizationTokenFormSchema),
  personal: zodResolver(personalTokenFormSchema) as unknown as Resolver<OrganizationTokenForm, unknown, FormOutput>,
};

export function TokenForm(props: Props) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const isOrg = props.kind === "organization";
  const form = useForm<OrganizationTokenForm, unknown, FormOutput>({
    resolver: RESOLVERS[props.kind],
    defaultValues: EMPTY,
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const err = (name: FieldPath<OrganizationTokenForm>) => t.dynamic((errors as Record<string, { message?: string } | undefined>)[name]?.message) || undefined;

  const onSubmit = form.handleSubmit(
    (values) =>
      new Promise<void>((done) => {
        setFormError(null);
        startTransition(async () => {
          try {
            const result =
              props.kind === "organization"
                ? await createOrganizationTokenAction(props.organizationId, values)
                : await createPersonalTokenAction({ name: values.name, expiry: values.expiry });
            if (!result.ok) {
              let placed = 0;
              for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
                const field = FIELDS.find((f) => f === name || name.startsWith(`${f}.`));
                if (!field) continue;
                form.setError(field, { type: "server", message }, { shouldFocus: placed === 0 });
                placed += 1;
              }
              if (placed === 0) setFormError(result.message);
              return;
            }
            setCreated({ token: result.token, name: result.name });
            form.reset(EMPTY);
            router.refresh();
          } catch {
            setFormError("errors.internal");
          } finally {
            done();
          }
        });
      }),
  );

  if (created) {
    return <CreatedToken token={created.token} name={created.name} curlUrl={props.curlUrl} onDone={() => setCreated(null)} />;
  }

  const scopesError = err("scopes");
  const expiryError = err("expiry");
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid="api-token-form">
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <TextField
        label={t("apiTokens.form.name")}
        required
        hint={t("apiTokens.form.nameHint")}
        error={err("name")}
        inputProps={{ autoComplete: "off", maxLength: TOKEN_NAME_MAX, ...form.register("name"), "data-testid": "api-token-name" } as never}
      />
      {isOrg && (
        <fieldset className="flex flex-col gap-2" aria-describedby={scopesError ? "api-token-scopes-error" : "api-token-scopes-hint"} aria-invalid={scopesError ? true : undefined}>
          <legend className="text-sm font-medium text-slate-800">{t("apiTokens.form.scopes")}</legend>
          <p id="api-token-scopes-hint" className="text-sm text-slate-500">
            {t("apiTokens.form.scopesHint")}
          </p>
          {ORGANIZATION_SCOPES.map((scope) => (
            <label key={scope} className="flex min-h-11 cursor-pointer items-start gap-3 rounded-xl border border-slate-200 p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
              <input type="checkbox" value={scope} className="mt-1 size-5 shrink-0 accent-brand-600" {...form.register("scopes")} data-testid={`api-token-scope-${scope}`} />
              <span className="flex min-w-0 flex-col">
                <span className="font-mono text-sm font-semibold text-slate-900">{scope}</span>
                <span className="text-sm text-slate-600">{t.dynamic(`apiTokens.scopes.${scope}`)}</span>
              </span>
            </label>
          ))}
          {scopesError && (
            <p id="api-token-scopes-error" className="text-sm font-medium text-red-700" data-field-error>
              {scopesError}
            </p>
          )}
        </fieldset>
      )}
      <fieldset className="flex flex-col gap-2" aria-describedby={expiryError ? "api-token-expiry-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">{t("apiTokens.form.expiry")}</legend>
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          {TOKEN_EXPIRY_CHOICES.map((choice) => (
            <label key={choice} className="flex min-h-11 cursor-pointer items-center gap-2 rounded-xl border border-slate-200 px-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
              <input type="radio" value={choice} className="size-4 accent-brand-600" {...form.register("expiry")} data-testid={`api-token-expiry-${choice}`} />
              <span className="text-sm text-slate-800">{t.dynamic(choice === "never" ? "apiTokens.form.expiryNever" : `apiTokens.form.expiry${choice}`)}</span>
            </label>
          ))}
        </div>
        {expiryError && (
          <p id="api-token-expiry-error" className="text-sm font-medium text-red-700" data-field-error>
            {expiryError}
          </p>
        )}
      </fieldset>
      <Button type="submit" pending={isSubmitting || pending} className="self-start" data-testid="api-token-submit">
        {isSubmitting || pending ? t("apiTokens.form.submitting") : t("apiTokens.form.submit")}
      </Button>
    </form>
  );
}
