// The organization's own payment accounts (docs/payments.md → "Providers and which one takes a payment").
//
// What the payment service uses:
//   - paymentRouteFor(organizationId, currency): where a registration in this currency pays — the connected
//     real provider for it (YooKassa RUB, Stripe USD/EUR) → Demo (enabled and connected) → Manual (the
//     organizer's instructions, no Pay button) → null (no way to pay; the publish guard keeps paid types
//     of published events from getting here);
//   - providerForPayment(organizationId, providerId): the adapter for an existing payment (re-read, refund,
//     webhook), ProviderError("credentials") when the account is gone or unreadable;
//   - acceptedCurrencies(organizationId, runner?): see ./guard.ts.
// What the settings page uses (owner only to change, `payments.manage`; staff see, `payments.view`):
//   listPaymentAccounts, savePaymentAccount, disconnectPaymentAccount, testPaymentAccount.
//
// Secrets never leave the server: credentials are encrypted at rest (./secrets.ts, bound to the row by
// "<organizationId>:<provider>"), the page gets only public_hint, a form's empty secret field keeps the
// stored secret, audit rows and errors carry hints, never secrets.
import "server-only";
import { z } from "zod";
import { writeAudit } from "@/lib/audit";
import { db, empty, sql, onPrisma, withTransaction, type DbClient } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Currency } from "@/lib/generated/prisma/enums";
import { authorizeOrganization, isUuid, roleCan, type Actor } from "@/lib/permissions";
import {
  PAYMENT_ACCOUNT_PROVIDERS,
  paymentAccountInputSchema,
  type PaymentAccountInput,
  type PaymentAccountProvider,
} from "@/lib/validation/payment-accounts";
import { acceptedCurrencies, assertCurrenciesPayable } from "./guard";
import { PROVIDER_CURRENCIES, REAL_PROVIDERS } from "./provider-currencies";
import { createProvider } from "./providers";
import { paymentsDemoEnabled } from "./providers/demo-mode";
import { ProviderError, type OnlineProviderId, type PaymentProvider, type ProviderCredentials } from "./providers/types";
import { PaymentSecretsError, decryptSecret, encryptSecret } from "./secrets";

export { acceptedCurrencies, assertCurrenciesPayable } from "./guard";

// ───────────────────────────── credentials ─────────────────────────────

const storedSchemas = {
  yookassa: z.object({ shopId: z.string(), secretKey: z.string() }),
  stripe: z.object({ secretKey: z.string(), webhookSecret: z.string() }),
} as const;
type RealProvider = keyof typeof storedSchemas;
type StoredCredentials = { yookassa: z.infer<(typeof storedSchemas)["yookassa"]>; stripe: z.infer<(typeof storedSchemas)["stripe"]> };

/** The authenticated context of a row's blob: a blob copied to another row does not decrypt. */
export const credentialsContext = (organizationId: string, provider: string) => `${organizationId}:${provider}`;

function readStored<P extends RealProvider>(organizationId: string, provider: P, blob: string | null): StoredCredentials[P] {
  if (!blob) throw new PaymentSecretsError("corrupt", "no stored credentials");
  const parsed = storedSchemas[provider].safeParse(JSON.parse(decryptSecret(blob, credentialsContext(organizationId, provider))));
  if (!parsed.success) throw new PaymentSecretsError("corrupt", "stored credentials are not in the expected shape");
  return parsed.data as StoredCredentials[P];
}

type AccountRow = {
  id: string;
  provider: string;
  credentials: string | null;
  public_hint: string | null;
  manual_instructions: string | null;
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

async function loadAccounts(organizationId: string, client: DbClient = db, lock?: PaymentAccountProvider): Promise<AccountRow[]> {
  return onPrisma(client).rows<AccountRow>(sql`
    SELECT id, provider, credentials, public_hint, manual_instructions, verified_at, created_at, updated_at
      FROM payment_accounts WHERE tenant_id = ${organizationId}::uuid${lock ? sql` AND provider = ${lock} FOR UPDATE` : empty}`);
}

/** The adapter's credentials of a row. Throws ProviderError("credentials") when they cannot be read. */
function providerCredentials(organizationId: string, row: AccountRow): ProviderCredentials {
  const provider = row.provider as OnlineProviderId;
  if (provider === "demo") return { provider: "demo" };
  try {
    if (provider === "yookassa") return { provider, ...readStored(organizationId, provider, row.credentials) };
    return { provider: "stripe", ...readStored(organizationId, "stripe", row.credentials) };
  } catch (e) {
    const reason = e instanceof PaymentSecretsError ? e.message : "stored credentials cannot be read";
    throw new ProviderError("credentials", `the organization's ${provider} credentials cannot be used: ${reason}`);
  }
}

function build(organizationId: string, row: AccountRow): PaymentProvider {
  return createProvider(providerCredentials(organizationId, row), { organizationId });
}

// ───────────────────────────── for the payment service ─────────────────────────────

export type PaymentRoute =
  | { kind: "online"; providerId: OnlineProviderId; provider: PaymentProvider }
  | { kind: "manual"; instructions: string | null };

/**
 * Where a registration of this organization in this currency pays (docs/payments.md): the connected real
 * provider for the currency → Demo (when enabled and connected) → Manual → null.
 * Throws ProviderError("credentials") when the chosen account's credentials cannot be read.
 */
export async function paymentRouteFor(organizationId: string, currency: Currency): Promise<PaymentRoute | null> {
  if (!isUuid(organizationId)) return null;
  const rows = await loadAccounts(organizationId);
  const of = (provider: string) => rows.find((r) => r.provider === provider);
  for (const providerId of REAL_PROVIDERS) {
    const row = of(providerId);
    if (row && PROVIDER_CURRENCIES[providerId].includes(currency)) return { kind: "online", providerId, provider: build(organizationId, row) };
  }
  const demo = of("demo");
  if (demo && paymentsDemoEnabled()) return { kind: "online", providerId: "demo", provider: build(organizationId, demo) };
  const manual = of("manual");
  if (manual) return { kind: "manual", instructions: manual.manual_instructions };
  return null;
}

/**
 * The adapter of an existing payment's provider for this organization (re-read, refund, webhook).
 * Throws ProviderError("credentials") when the account is not connected (any more) or unreadable.
 */
export async function providerForPayment(organizationId: string, providerId: OnlineProviderId): Promise<PaymentProvider> {
  const row = isUuid(organizationId) && (PAYMENT_ACCOUNT_PROVIDERS as readonly string[]).includes(providerId)
    ? (await loadAccounts(organizationId)).find((r) => r.provider === providerId)
    : undefined;
  if (!row || providerId === ("manual" as string)) {
    throw new ProviderError("credentials", `the organization has no ${providerId} account connected`);
  }
  return build(organizationId, row);
}

// ───────────────────────────── the settings page ─────────────────────────────

export type PaymentAccountView = {
  provider: PaymentAccountProvider;
  /** Safe to show ("shop 100001 · test_…9Zq4", "sk_test_…4242"); null for demo and manual. */
  publicHint: string | null;
  /** Manual only. */
  manualInstructions: string | null;
  /** YooKassa only: the shop id (not a secret; the form starts with it). */
  shopId: string | null;
  verifiedAt: Date | null;
  connectedAt: Date;
  updatedAt: Date;
};

export type PaymentAccountsOverview = {
  organizationId: string;
  /** The owner may change accounts; moderators see them. */
  canManage: boolean;
  demoEnabled: boolean;
  /** Connected accounts by provider (null: not connected). */
  accounts: Record<PaymentAccountProvider, PaymentAccountView | null>;
  /** Where each provider's dashboard sends its notifications. */
  webhookUrls: Record<RealProvider, string>;
  /** What the organization can take now. */
  acceptedCurrencies: Currency[];
};

/** `${APP_URL}/api/payments/webhooks/<provider>/<organizationId>` */
export function webhookUrl(provider: OnlineProviderId, organizationId: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/api/payments/webhooks/${provider}/${organizationId}`;
}

/** The organization's accounts as the settings page shows them (`payments.view`: owner and moderators). */
export async function listPaymentAccounts(options: { actor: Actor | null | undefined; organizationId: string; tx?: DbClient }): Promise<PaymentAccountsOverview> {
  const client = options.tx ?? db;
  const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "payments.view", tx: client });
  const organizationId = access.organization.id;
  const [rows, accepted] = await Promise.all([loadAccounts(organizationId, client), acceptedCurrencies(organizationId, client)]);
  const accounts = Object.fromEntries(PAYMENT_ACCOUNT_PROVIDERS.map((p) => [p, null])) as Record<PaymentAccountProvider, PaymentAccountView | null>;
  for (const row of rows) {
    accounts[row.provider as PaymentAccountProvider] = {
      provider: row.provider as PaymentAccountProvider,
      publicHint: row.public_hint,
      manualInstructions: row.manual_instructions,
      shopId: row.provider === "yookassa" ? (/^shop (\d+)/.exec(row.public_hint ?? "")?.[1] ?? null) : null,
      verifiedAt: row.verified_at,
      connectedAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
  return {
    organizationId,
    canManage: roleCan(access.effectiveRole, "payments.manage"),
    demoEnabled: paymentsDemoEnabled(),
    accounts,
    webhookUrls: { yookassa: webhookUrl("yookassa", organizationId), stripe: webhookUrl("stripe", organizationId) },
    acceptedCurrencies: accepted,
  };
}

const E = "paymentsAdmin.errors";
const V = "paymentsAdmin.validation";
const validation = (fieldErrors: Record<string, string>) => new AppError("VALIDATION", "errors.validation", fieldErrors);

/** "sk_test_…4242", "test_…9Zq4": the key's kind (test or live) and its last four characters. */
function secretHint(key: string): string {
  const prefix = /^([a-z]+_)?(test|live)_/.exec(key)?.[0] ?? "";
  return `${prefix}…${key.slice(-4)}`;
}

type Prepared = {
  credentials: string | null;
  publicHint: string | null;
  manualInstructions: string | null;
  changes: Record<string, unknown>;
  /** The provider will see other credentials than the last test did (verified_at no longer holds). */
  credentialsChanged: boolean;
};

function encrypt(organizationId: string, provider: RealProvider, value: object): string {
  try {
    return encryptSecret(JSON.stringify(value), credentialsContext(organizationId, provider));
  } catch (e) {
    if (e instanceof PaymentSecretsError) throw new AppError("CONFLICT", `${E}.encryptionNotConfigured`);
    throw e;
  }
}

/** Stored credentials of an existing row, or null when there are none or they cannot be read any more. */
function storedOrNull<P extends RealProvider>(organizationId: string, provider: P, row: AccountRow | undefined): StoredCredentials[P] | null {
  if (!row) return null;
  try {
    return readStored(organizationId, provider, row.credentials);
  } catch {
    return null;
  }
}

function prepare(organizationId: string, input: z.output<typeof paymentAccountInputSchema>, current: AccountRow | undefined): Prepared {
  switch (input.provider) {
    case "yookassa": {
      const stored = storedOrNull(organizationId, "yookassa", current);
      const secretKey = input.secretKey ?? stored?.secretKey;
      if (!secretKey) throw validation({ secretKey: `${V}.secretRequired` });
      const publicHint = `shop ${input.shopId} · ${secretHint(secretKey)}`;
      return {
        credentials: encrypt(organizationId, "yookassa", { shopId: input.shopId, secretKey }),
        publicHint,
        manualInstructions: null,
        changes: { publicHint: { from: current?.public_hint ?? null, to: publicHint }, ...(input.secretKey ? { secretKey: "replaced" } : {}) },
        credentialsChanged: !stored || stored.shopId !== input.shopId || stored.secretKey !== secretKey,
      };
    }
    case "stripe": {
      const stored = storedOrNull(organizationId, "stripe", current);
      const secretKey = input.secretKey ?? stored?.secretKey;
      const webhookSecret = input.webhookSecret ?? stored?.webhookSecret;
      if (!secretKey || !webhookSecret) {
        throw validation({
          ...(secretKey ? {} : { secretKey: `${V}.secretRequired` }),
          ...(webhookSecret ? {} : { webhookSecret: `${V}.secretRequired` }),
        });
      }
      const publicHint = secretHint(secretKey);
      return {
        credentials: encrypt(organizationId, "stripe", { secretKey, webhookSecret }),
        publicHint,
        manualInstructions: null,
        changes: {
          publicHint: { from: current?.public_hint ?? null, to: publicHint },
          ...(input.secretKey ? { secretKey: "replaced" } : {}),
          ...(input.webhookSecret ? { webhookSecret: "replaced" } : {}),
        },
        credentialsChanged: !stored || stored.secretKey !== secretKey || stored.webhookSecret !== webhookSecret,
      };
    }
    case "demo":
      if (!paymentsDemoEnabled()) throw new AppError("CONFLICT", `${E}.demoDisabled`);
      return { credentials: null, publicHint: null, manualInstructions: null, changes: {}, credentialsChanged: false };
    case "manual":
      return {
        credentials: null,
        publicHint: null,
        manualInstructions: input.instructions ?? null,
        changes: { manualInstructions: { from: current?.manual_instructions ?? null, to: input.instructions ?? null } },
        credentialsChanged: false,
      };
  }
}

/**
 * Connects an account or changes it (owner only, `payments.manage`). Secrets are write-only: an empty
 * secret keeps the stored one. Changed credentials clear verified_at (test the connection again).
 * Errors: VALIDATION (field errors), CONFLICT paymentsAdmin.errors.encryptionNotConfigured / demoDisabled.
 */
export async function savePaymentAccount(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  input: PaymentAccountInput;
  tx?: DbClient;
}): Promise<{ provider: PaymentAccountProvider; publicHint: string | null; created: boolean }> {
  return withTransaction(options.tx, async (tx) => {
    const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "payments.manage", tx });
    const parsed = paymentAccountInputSchema.safeParse(options.input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "provider")] ??= issue.message;
      throw validation(fieldErrors);
    }
    const input = parsed.data;
    const organizationId = access.organization.id;
    const [current] = await loadAccounts(organizationId, tx, input.provider);
    const prepared = prepare(organizationId, input, current);
    const saved = await tx.paymentAccount.upsert({
      where: { organizationId_provider: { organizationId, provider: input.provider } },
      create: {
        organizationId,
        provider: input.provider,
        credentials: prepared.credentials,
        publicHint: prepared.publicHint,
        manualInstructions: prepared.manualInstructions,
        connectedById: access.actor.userId,
      },
      update: {
        credentials: prepared.credentials,
        publicHint: prepared.publicHint,
        manualInstructions: prepared.manualInstructions,
        connectedById: access.actor.userId,
        ...(prepared.credentialsChanged ? { verifiedAt: null } : {}),
      },
      select: { id: true },
    });
    await writeAudit(tx, {
      organizationId,
      actorId: access.actor.userId,
      entityType: "payment_account",
      entityId: saved.id,
      action: current ? "payment_account.updated" : "payment_account.connected",
      changes: { provider: input.provider, ...prepared.changes },
    });
    return { provider: input.provider, publicHint: prepared.publicHint, created: !current };
  });
}

/**
 * Disconnects an account (owner only). Refused while the account is still needed: a payment or refund
 * through it is in progress (CONFLICT paymentsAdmin.errors.paymentsInProgress), or a paid type of a
 * published event would be left without a way to pay (CONFLICT errors.noWayToPay<CUR>, ./guard.ts).
 */
export async function disconnectPaymentAccount(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  provider: PaymentAccountProvider;
  tx?: DbClient;
}): Promise<{ removed: boolean }> {
  return withTransaction(options.tx, async (tx) => {
    const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "payments.manage", tx });
    if (!(PAYMENT_ACCOUNT_PROVIDERS as readonly string[]).includes(options.provider)) throw new AppError("NOT_FOUND", "errors.notFound");
    const organizationId = access.organization.id;
    const [current] = await loadAccounts(organizationId, tx, options.provider);
    if (!current) return { removed: false };
    if (options.provider !== "manual") {
      const [open] = await onPrisma(tx).rows<{ open: boolean }>(sql`
        SELECT EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = ${organizationId}::uuid AND p.provider = ${options.provider}
                          AND p.status IN ('PENDING', 'PROCESSING'))
            OR EXISTS (SELECT 1 FROM refunds r JOIN payments p ON p.id = r.payment_id
                        WHERE p.tenant_id = ${organizationId}::uuid AND p.provider = ${options.provider} AND r.status = 'PENDING') AS open`);
      if (open?.open) throw new AppError("CONFLICT", `${E}.paymentsInProgress`);
    }
    await tx.paymentAccount.delete({ where: { id: current.id } });
    await assertCurrenciesPayable(tx, { organizationId });
    await writeAudit(tx, {
      organizationId,
      actorId: access.actor.userId,
      entityType: "payment_account",
      entityId: current.id,
      action: "payment_account.disconnected",
      changes: { provider: options.provider, publicHint: { from: current.public_hint, to: null } },
    });
    return { removed: true };
  });
}

export type ConnectionTest = { ok: true; verifiedAt: Date } | { ok: false; reason: string };

/**
 * "Test connection" (owner only): a harmless authenticated read at the provider with the stored
 * credentials. Success records verified_at; a failure clears it. The reason never contains a secret.
 * The action in front of it is rate-limited (LIMITS["payments.test-connection"]).
 */
export async function testPaymentAccount(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  provider: PaymentAccountProvider;
}): Promise<ConnectionTest> {
  const access = await authorizeOrganization({ actor: options.actor, organizationId: options.organizationId, permission: "payments.manage" });
  if (options.provider === "manual" || !(PAYMENT_ACCOUNT_PROVIDERS as readonly string[]).includes(options.provider)) throw new AppError("NOT_FOUND", "errors.notFound");
  const organizationId = access.organization.id;
  const row = (await loadAccounts(organizationId)).find((r) => r.provider === options.provider);
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  let result: { ok: true } | { ok: false; reason: string };
  try {
    result = await build(organizationId, row).testConnection();
  } catch (e) {
    result = { ok: false, reason: e instanceof ProviderError ? e.message : "the connection could not be tested" };
  }
  return withTransaction(undefined, async (tx) => {
    // Only the credentials that were tested: a save in between (updated_at moved) keeps its own state.
    const [updated] = await onPrisma(tx).rows<{ verified_at: Date | null }>(sql`
      UPDATE payment_accounts SET verified_at = ${result.ok ? sql`now()` : sql`NULL`}
       WHERE id = ${row.id}::uuid AND updated_at = ${row.updated_at}
      RETURNING verified_at`);
    await writeAudit(tx, {
      organizationId,
      actorId: access.actor.userId,
      entityType: "payment_account",
      entityId: row.id,
      action: "payment_account.tested",
      changes: { provider: options.provider, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) },
    });
    if (!result.ok) return { ok: false, reason: result.reason };
    return { ok: true, verifiedAt: updated?.verified_at ?? new Date() };
  });
}
