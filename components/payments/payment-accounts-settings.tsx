"use client";
// The organization's payment methods (settings → Payments): one card per provider with its status, the
// connect form (secrets are write-only: the fields start empty, empty keeps the stored key), "Test
// connection" with its result, the webhook URL to paste into the provider's dashboard, demo only when
// enabled, manual on/off with its instructions. Moderators see the cards without the forms.
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition, type ReactNode } from "react";
import { useForm, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Textarea } from "@/components/organizations/textarea";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField, TextField } from "@/components/ui/form-field";
import type { ActionResult } from "@/lib/errors";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatDate } from "@/lib/i18n/format/date";
import {
  MANUAL_INSTRUCTIONS_MAX,
  manualAccountSchema,
  stripeAccountSchema,
  yookassaAccountSchema,
  type PaymentAccountData,
  type PaymentAccountProvider,
} from "@/lib/validation/payment-accounts";

export type AccountState = {
  publicHint: string | null;
  shopId: string | null;
  manualInstructions: string | null;
  /** ISO */
  verifiedAt: string | null;
} | null;

type TestResult = { ok: true; verifiedAt: string } | { ok: false; reason: string };

export type PaymentSettingsActions = {
  save: (input: PaymentAccountData) => Promise<ActionResult<{ provider: PaymentAccountProvider; publicHint: string | null }>>;
  disconnect: (provider: PaymentAccountProvider) => Promise<ActionResult<{ removed: boolean }>>;
  test: (provider: PaymentAccountProvider) => Promise<ActionResult<{ result: TestResult }>>;
};

type Props = {
  canManage: boolean;
  demoEnabled: boolean;
  accounts: Record<PaymentAccountProvider, AccountState>;
  webhookUrls: { yookassa: string; stripe: string };
  actions: PaymentSettingsActions;
};

type Status = { variant: "error" | "success"; text: string } | null;

export function PaymentAccountsSettings({ canManage, demoEnabled, accounts, webhookUrls, actions }: Props) {
  return (
    <div className="flex flex-col gap-4" data-testid="payment-accounts">
      <ProviderCard provider="yookassa" state={accounts.yookassa} canManage={canManage} actions={actions} webhookUrl={webhookUrls.yookassa}>
        {canManage && <YooKassaForm connected={!!accounts.yookassa} shopId={accounts.yookassa?.shopId ?? ""} save={actions.save} />}
      </ProviderCard>
      <ProviderCard provider="stripe" state={accounts.stripe} canManage={canManage} actions={actions} webhookUrl={webhookUrls.stripe}>
        {canManage && <StripeForm connected={!!accounts.stripe} save={actions.save} />}
      </ProviderCard>
      {(demoEnabled || accounts.demo) && (
        <ProviderCard provider="demo" state={accounts.demo} canManage={canManage} actions={actions}>
          {canManage && !accounts.demo && demoEnabled && <EnableButton label="paymentsAdmin.actions.enableDemo" input={{ provider: "demo" }} save={actions.save} />}
        </ProviderCard>
      )}
      <ProviderCard provider="manual" state={accounts.manual} canManage={canManage} actions={actions}>
        {canManage && <ManualForm state={accounts.manual} save={actions.save} />}
      </ProviderCard>
    </div>
  );
}

function ProviderCard({
  provider,
  state,
  canManage,
  actions,
  webhookUrl,
  children,
}: {
  provider: PaymentAccountProvider;
  state: AccountState;
  canManage: boolean;
  actions: PaymentSettingsActions;
  webhookUrl?: string;
  children?: ReactNode;
}) {
  const t = useT();
  const locale = useLocale();
  const connected = !!state;
  const online = provider === "yookassa" || provider === "stripe";
  return (
    <Card aria-labelledby={`payments-${provider}`} data-testid={`payment-account-${provider}`}>
      <header className="mb-3 flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id={`payments-${provider}`} className="text-lg font-semibold text-slate-900">
            {t.dynamic(`paymentsAdmin.providers.${provider}`)}
          </h2>
          <Badge tone={connected ? "success" : "neutral"}>
            <span data-testid={`payment-status-${provider}`}>{connected ? t("paymentsAdmin.badge.connected") : t("paymentsAdmin.badge.notConnected")}</span>
          </Badge>
          {provider === "demo" && <Badge tone="brand">{t("paymentsAdmin.badge.test")}</Badge>}
          {connected && online && (
            <Badge tone={state.verifiedAt ? "success" : "neutral"}>
              {state.verifiedAt ? t("paymentsAdmin.badge.verified", { date: formatDate(state.verifiedAt, locale, "medium") }) : t("paymentsAdmin.badge.notVerified")}
            </Badge>
          )}
        </div>
        <p className="text-sm text-slate-600">{t.dynamic(`paymentsAdmin.providerText.${provider}`)}</p>
        {connected && state.publicHint && (
          <p className="break-all font-mono text-sm text-slate-800" data-testid={`payment-hint-${provider}`}>
            {t("paymentsAdmin.fields.storedKey", { hint: state.publicHint })}
          </p>
        )}
        {connected && provider === "manual" && state.manualInstructions && !canManage && (
          <p className="whitespace-pre-line text-sm text-slate-800">{state.manualInstructions}</p>
        )}
      </header>
      {webhookUrl && <WebhookUrl url={webhookUrl} />}
      {children}
      {canManage && connected && <AccountButtons provider={provider} online={online || provider === "demo"} actions={actions} />}
    </Card>
  );
}

function WebhookUrl({ url }: { url: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div className="mb-4 flex flex-col gap-1.5 rounded-xl bg-slate-50 p-3">
      <p className="text-sm font-medium text-slate-800">{t("paymentsAdmin.fields.webhookUrl")}</p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code className="min-w-0 flex-1 break-all text-sm text-slate-900" data-testid="webhook-url">
          {url}
        </code>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true));
          }}
        >
          {copied ? t("paymentsAdmin.fields.copied") : t("paymentsAdmin.fields.copy")}
        </Button>
      </div>
      <p className="text-sm text-slate-500">{t("paymentsAdmin.fields.webhookUrlHint")}</p>
    </div>
  );
}

function AccountButtons({ provider, online, actions }: { provider: PaymentAccountProvider; online: boolean; actions: PaymentSettingsActions }) {
  const t = useT();
  const [status, setStatus] = useState<Status>(null);
  const [testing, startTest] = useTransition();
  const [removing, startRemove] = useTransition();
  const label = t.dynamic(`paymentsAdmin.providers.${provider}`);
  return (
    <div className="mt-4 flex flex-col gap-3">
      {status && (
        <div role="status" data-testid={`payment-result-${provider}`}>
          <Alert variant={status.variant}>{status.text}</Alert>
        </div>
      )}
      <div className="flex flex-col gap-2 sm:flex-row">
        {online && provider !== "demo" && (
          <Button
            variant="secondary"
            pending={testing}
            data-testid={`payment-test-${provider}`}
            onClick={() =>
              startTest(async () => {
                setStatus(null);
                const result = await actions.test(provider).catch(() => null);
                if (!result) setStatus({ variant: "error", text: t("errors.internal") });
                else if (!result.ok) setStatus({ variant: "error", text: t.dynamic(result.message) });
                else if (result.result.ok) setStatus({ variant: "success", text: t("paymentsAdmin.result.testOk") });
                else setStatus({ variant: "error", text: t("paymentsAdmin.result.testFailed", { reason: result.result.reason }) });
              })
            }
          >
            {testing ? t("paymentsAdmin.actions.testing") : t("paymentsAdmin.actions.test")}
          </Button>
        )}
        <Button
          variant="ghost"
          pending={removing}
          data-testid={`payment-disconnect-${provider}`}
          onClick={() => {
            const question = provider === "manual" ? t("paymentsAdmin.actions.disableManual") : t("paymentsAdmin.actions.disconnectConfirm", { provider: label });
            if (!window.confirm(question)) return;
            startRemove(async () => {
              setStatus(null);
              const result = await actions.disconnect(provider).catch(() => null);
              if (!result) setStatus({ variant: "error", text: t("errors.internal") });
              else if (!result.ok) setStatus({ variant: "error", text: t.dynamic(result.message) });
            });
          }}
        >
          {provider === "manual" ? t("paymentsAdmin.actions.disableManual") : t("paymentsAdmin.actions.disconnect")}
        </Button>
      </div>
    </div>
  );
}

/** Submits a connect form through the save action; server field errors land on the same fields. */
function useSave<T extends FieldValues, Out extends PaymentAccountData>(
  form: UseFormReturn<T, unknown, Out>,
  fields: readonly Path<T>[],
  save: PaymentSettingsActions["save"],
  secrets: readonly Path<T>[],
) {
  const t = useT();
  const [status, setStatus] = useState<Status>(null);
  const [pending, startTransition] = useTransition();
  const submit = (values: Out) =>
    new Promise<void>((done) => {
      setStatus(null);
      startTransition(async () => {
        try {
          const result = await save(values);
          if (result.ok) {
            setStatus({ variant: "success", text: t("paymentsAdmin.result.saved") });
            // secrets never stay in the page: the fields are cleared once saved
            for (const field of secrets) form.setValue(field, "" as never);
          } else if (applyServerFieldErrors(result.fieldErrors, fields, form.setError) === 0) {
            setStatus({ variant: "error", text: t.dynamic(result.message) });
          }
        } catch {
          setStatus({ variant: "error", text: t("errors.internal") });
        } finally {
          done();
        }
      });
    });
  return { status, pending, submit };
}

function secretInputProps<T extends object>(props: T) {
  return { type: "password", autoComplete: "off", autoCapitalize: "none", spellCheck: false, ...props };
}

function YooKassaForm({ connected, shopId, save }: { connected: boolean; shopId: string; save: PaymentSettingsActions["save"] }) {
  const t = useT();
  const form = useForm({ resolver: zodResolver(yookassaAccountSchema), defaultValues: { provider: "yookassa" as const, shopId, secretKey: "" } });
  const { status, pending, submit } = useSave(form, ["shopId", "secretKey"], save, ["secretKey"]);
  const error = (m: string | undefined) => t.dynamic(m) || undefined;
  return (
    <form onSubmit={form.handleSubmit(submit)} noValidate className="flex flex-col gap-4" data-testid="yookassa-form">
      {status && <Alert variant={status.variant}>{status.text}</Alert>}
      <TextField
        label={t("paymentsAdmin.fields.shopId")}
        hint={t("paymentsAdmin.fields.shopIdHint")}
        error={error(form.formState.errors.shopId?.message)}
        required
        inputProps={{ inputMode: "numeric", autoComplete: "off", ...form.register("shopId") }}
      />
      <TextField
        label={t("paymentsAdmin.fields.yookassaSecret")}
        hint={connected ? t("paymentsAdmin.fields.keepSecret") : t("paymentsAdmin.fields.yookassaSecretHint")}
        error={error(form.formState.errors.secretKey?.message)}
        required={!connected}
        inputProps={secretInputProps(form.register("secretKey"))}
      />
      <Button type="submit" pending={pending} className="sm:self-start">
        {connected ? t("paymentsAdmin.actions.save") : t("paymentsAdmin.actions.connect")}
      </Button>
    </form>
  );
}

function StripeForm({ connected, save }: { connected: boolean; save: PaymentSettingsActions["save"] }) {
  const t = useT();
  const form = useForm({ resolver: zodResolver(stripeAccountSchema), defaultValues: { provider: "stripe" as const, secretKey: "", webhookSecret: "" } });
  const { status, pending, submit } = useSave(form, ["secretKey", "webhookSecret"], save, ["secretKey", "webhookSecret"]);
  const error = (m: string | undefined) => t.dynamic(m) || undefined;
  return (
    <form onSubmit={form.handleSubmit(submit)} noValidate className="flex flex-col gap-4" data-testid="stripe-form">
      {status && <Alert variant={status.variant}>{status.text}</Alert>}
      <TextField
        label={t("paymentsAdmin.fields.stripeSecret")}
        hint={connected ? t("paymentsAdmin.fields.keepSecret") : t("paymentsAdmin.fields.stripeSecretHint")}
        error={error(form.formState.errors.secretKey?.message)}
        required={!connected}
        inputProps={secretInputProps(form.register("secretKey"))}
      />
      <TextField
        label={t("paymentsAdmin.fields.webhookSecret")}
        hint={connected ? t("paymentsAdmin.fields.keepSecret") : t("paymentsAdmin.fields.webhookSecretHint")}
        error={error(form.formState.errors.webhookSecret?.message)}
        required={!connected}
        inputProps={secretInputProps(form.register("webhookSecret"))}
      />
      <Button type="submit" pending={pending} className="sm:self-start">
        {connected ? t("paymentsAdmin.actions.save") : t("paymentsAdmin.actions.connect")}
      </Button>
    </form>
  );
}

function ManualForm({ state, save }: { state: AccountState; save: PaymentSettingsActions["save"] }) {
  const t = useT();
  const form = useForm({
    resolver: zodResolver(manualAccountSchema),
    defaultValues: { provider: "manual" as const, instructions: state?.manualInstructions ?? "" },
  });
  const { status, pending, submit } = useSave(form, ["instructions"], save, []);
  return (
    <form onSubmit={form.handleSubmit(submit)} noValidate className="flex flex-col gap-4" data-testid="manual-form">
      {status && <Alert variant={status.variant}>{status.text}</Alert>}
      <FormField
        label={t("paymentsAdmin.fields.instructions")}
        hint={t("paymentsAdmin.fields.instructionsHint")}
        error={t.dynamic(form.formState.errors.instructions?.message) || undefined}
      >
        {(control) => <Textarea {...control} rows={4} maxLength={MANUAL_INSTRUCTIONS_MAX} {...form.register("instructions")} />}
      </FormField>
      <Button type="submit" pending={pending} className="sm:self-start" data-testid="manual-save">
        {state ? t("paymentsAdmin.actions.save") : t("paymentsAdmin.actions.enableManual")}
      </Button>
    </form>
  );
}

function EnableButton({ label, input, save }: { label: "paymentsAdmin.actions.enableDemo"; input: PaymentAccountData; save: PaymentSettingsActions["save"] }) {
  const t = useT();
  const [status, setStatus] = useState<Status>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-col gap-3">
      {status && <Alert variant={status.variant}>{status.text}</Alert>}
      <Button
        pending={pending}
        className="sm:self-start"
        data-testid={`payment-enable-${input.provider}`}
        onClick={() =>
          startTransition(async () => {
            const result = await save(input).catch(() => null);
            if (!result) setStatus({ variant: "error", text: t("errors.internal") });
            else if (!result.ok) setStatus({ variant: "error", text: t.dynamic(result.message) });
          })
        }
      >
        {t(label)}
      </Button>
    </div>
  );
}
