// Payment accounts against a real PostgreSQL (lib/payments/accounts.ts): credentials encrypted at rest and
// never shown, write-only secrets, who may connect (owner only) and see (staff), tenant scoping, routing
// (paymentRouteFor / providerForPayment), "Test connection" against the YooKassa and Stripe fakes, and the
// publish guard (lib/payments/guard.ts) on every entry that can put a paid ticket type on sale.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import { getEventForManage } from "@/lib/events/events";
import { publishEvent } from "@/lib/events/lifecycle";
import { activateTicketType, createTicketType, updateTicketType } from "@/lib/events/ticket-types";
import type { User } from "@/lib/generated/prisma/client";
import {
  acceptedCurrencies,
  disconnectPaymentAccount,
  listPaymentAccounts,
  paymentRouteFor,
  providerForPayment,
  savePaymentAccount,
  testPaymentAccount,
} from "@/lib/payments/accounts";
import { ProviderError } from "@/lib/payments/providers/types";
import { rotatePaymentCredentials } from "@/lib/payments/rotate-keys";
import { keyIdOf } from "@/lib/payments/secrets";
import { actorOf, type Actor } from "@/lib/permissions";
import { startFakeStripe } from "@/tests/fakes/stripe-api";
import { startFakeYooKassa } from "@/tests/fakes/yookassa-api";
import {
  addMember,
  connectPayments,
  createEvent,
  createOrganization,
  createRegistration,
  createTicketType as createTicketTypeRow,
  createUser,
} from "@/tests/helpers/factories";

const as = (user: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(user)!;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code} ${message ?? ""}`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(code);
  if (message) expect(appError.message).toBe(message);
  return appError;
}

async function expectProviderError(promise: Promise<unknown>, kind: string): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).kind).toBe(kind);
  return error as ProviderError;
}

let yk: Awaited<ReturnType<typeof startFakeYooKassa>>;
let stripe: Awaited<ReturnType<typeof startFakeStripe>>;

beforeAll(async () => {
  yk = await startFakeYooKassa();
  stripe = await startFakeStripe();
  // before the first env() of this process
  process.env.YOOKASSA_API_URL = `${yk.url}/v3/`;
  process.env.STRIPE_API_URL = stripe.url;
});

afterAll(async () => {
  await yk?.stop();
  await stripe?.stop();
});

const YK_SECRET = `test_${"A1b2C3d4".repeat(5)}`;
const SK = `sk_test_${"Zz9Yy8Xx7".repeat(6)}4242`;
const WHSEC = `whsec_${"q1W2e3R4".repeat(4)}`;

async function world() {
  const { organization, owner } = await createOrganization();
  return { organization, owner, actor: as(owner) };
}

describe("payment accounts: secrets", () => {
  test("credentials are encrypted at rest, never returned, never audited; the page gets the hint only", async () => {
    const { organization, actor } = await world();
    const saved = await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100001", secretKey: YK_SECRET } });
    expect(saved).toMatchObject({ provider: "yookassa", created: true });
    expect(saved.publicHint).toMatch(/^shop 100001 · test_…/);
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: SK, webhookSecret: WHSEC } });

    const raw = await db.$queryRaw<{ provider: string; credentials: string; public_hint: string }[]>`
      SELECT provider, credentials, public_hint FROM payment_accounts WHERE tenant_id = ${organization.id}::uuid ORDER BY provider`;
    expect(raw.map((r) => r.provider)).toEqual(["stripe", "yookassa"]);
    for (const row of raw) {
      expect(row.credentials).toMatch(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
      for (const secret of [YK_SECRET, SK, WHSEC]) {
        expect(row.credentials).not.toContain(secret);
        expect(Buffer.from(row.credentials.split(":")[2], "base64").toString("latin1")).not.toContain(secret.slice(0, 12));
        expect(row.public_hint).not.toContain(secret);
      }
    }
    expect(raw[0].public_hint).toBe("sk_test_…4242");

    const overview = await listPaymentAccounts({ actor, organizationId: organization.id });
    const shown = JSON.stringify(overview);
    for (const secret of [YK_SECRET, SK, WHSEC]) expect(shown).not.toContain(secret);
    expect(overview.accounts.stripe?.publicHint).toBe("sk_test_…4242");
    expect(overview.accounts.yookassa?.shopId).toBe("100001");
    expect(overview.accounts.manual).toBeNull();
    expect(overview.acceptedCurrencies).toEqual(["RUB", "USD", "EUR"]);
    expect(overview.webhookUrls.stripe).toMatch(new RegExp(`/api/payments/webhooks/stripe/${organization.id}$`));

    const audits = await db.auditLog.findMany({ where: { organizationId: organization.id, entityType: "payment_account" } });
    expect(audits.map((a) => a.action).sort()).toEqual(["payment_account.connected", "payment_account.connected"]);
    const audited = JSON.stringify(audits);
    for (const secret of [YK_SECRET, SK, WHSEC]) expect(audited).not.toContain(secret);
  });

  test("secrets are write-only: an empty field keeps the stored one; the first connect needs it", async () => {
    const { organization, actor } = await world();
    const first = await expectAppError(savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100002", secretKey: "" } }), "VALIDATION");
    expect(first.fieldErrors).toEqual({ secretKey: "paymentsAdmin.validation.secretRequired" });
    const stripeFirst = await expectAppError(savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: SK } }), "VALIDATION");
    expect(stripeFirst.fieldErrors).toEqual({ webhookSecret: "paymentsAdmin.validation.secretRequired" });

    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100002", secretKey: YK_SECRET } });
    const again = await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100003", secretKey: "  " } });
    expect(again).toMatchObject({ created: false, publicHint: `shop 100003 · test_…${YK_SECRET.slice(-4)}` });
    const provider = await providerForPayment(organization.id, "yookassa");
    expect(provider.id).toBe("yookassa");
    const updated = await db.auditLog.findFirstOrThrow({ where: { organizationId: organization.id, action: "payment_account.updated" } });
    expect(updated.changes).toMatchObject({ provider: "yookassa", publicHint: { to: expect.stringContaining("shop 100003") } });
    expect(updated.changes).not.toHaveProperty("secretKey");
  });

  test("formats are checked on the fields, and a bad value never comes back in the error", async () => {
    const { organization, actor } = await world();
    const cases: [object, Record<string, string>][] = [
      [{ provider: "yookassa", shopId: "shop-1", secretKey: YK_SECRET }, { shopId: "paymentsAdmin.validation.shopIdInvalid" }],
      [{ provider: "yookassa", shopId: "100001", secretKey: "secret_abcdefghijkl" }, { secretKey: "paymentsAdmin.validation.yookassaSecretInvalid" }],
      [{ provider: "stripe", secretKey: "pk_test_abcdefghijkl", webhookSecret: WHSEC }, { secretKey: "paymentsAdmin.validation.stripeSecretInvalid" }],
      [{ provider: "stripe", secretKey: SK, webhookSecret: "wh_abcdefghijkl" }, { webhookSecret: "paymentsAdmin.validation.webhookSecretInvalid" }],
      [{ provider: "manual", instructions: "x".repeat(1001) }, { instructions: "paymentsAdmin.validation.instructionsTooLong" }],
    ];
    for (const [input, fieldErrors] of cases) {
      const error = await expectAppError(savePaymentAccount({ actor, organizationId: organization.id, input: input as never }), "VALIDATION");
      expect(error.fieldErrors).toEqual(fieldErrors);
      expect(JSON.stringify(error)).not.toContain("abcdefghijkl");
    }
    expect(await db.paymentAccount.count({ where: { organizationId: organization.id } })).toBe(0);
    // rk_ restricted keys are accepted
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: `rk_live_${"a1".repeat(20)}`, webhookSecret: WHSEC } });
  });

  test("a blob copied into another organization's row does not decrypt: that account cannot be used", async () => {
    const a = await world();
    const b = await world();
    await savePaymentAccount({ actor: a.actor, organizationId: a.organization.id, input: { provider: "yookassa", shopId: "100004", secretKey: YK_SECRET } });
    const row = await db.paymentAccount.findFirstOrThrow({ where: { organizationId: a.organization.id, provider: "yookassa" } });
    await db.paymentAccount.create({ data: { organizationId: b.organization.id, provider: "yookassa", credentials: row.credentials, publicHint: row.publicHint } });
    const error = await expectProviderError(providerForPayment(b.organization.id, "yookassa"), "credentials");
    expect(error.message).not.toContain(YK_SECRET);
    await expectProviderError(paymentRouteFor(b.organization.id, "RUB"), "credentials");
  });
});

describe("payment accounts: production without the key setting", () => {
  test("saving real credentials is refused with a clear error; manual still works", async () => {
    const { organization, actor } = await world();
    const saved = { node: process.env.NODE_ENV, keys: process.env.PAYMENTS_ENCRYPTION_KEYS, embedded: process.env.AQ_EMBEDDED_DB };
    try {
      (process.env as Record<string, string | undefined>).NODE_ENV = "production";
      delete process.env.PAYMENTS_ENCRYPTION_KEYS;
      delete process.env.AQ_EMBEDDED_DB;
      await expectAppError(
        savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100010", secretKey: YK_SECRET } }),
        "CONFLICT",
        "paymentsAdmin.errors.encryptionNotConfigured",
      );
      await expectAppError(
        savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: SK, webhookSecret: WHSEC } }),
        "CONFLICT",
        "paymentsAdmin.errors.encryptionNotConfigured",
      );
      expect(await db.paymentAccount.count({ where: { organizationId: organization.id } })).toBe(0);
      await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "manual" } });
    } finally {
      (process.env as Record<string, string | undefined>).NODE_ENV = saved.node;
      if (saved.keys !== undefined) process.env.PAYMENTS_ENCRYPTION_KEYS = saved.keys;
      if (saved.embedded !== undefined) process.env.AQ_EMBEDDED_DB = saved.embedded;
    }
  });
});

describe("payment accounts: key rotation", () => {
  test("the first key re-encrypts every row, a second run changes nothing, then the old key can go", async () => {
    const oldKey = `old:${randomBytes(32).toString("base64")}`;
    const newKey = `new:${randomBytes(32).toString("base64")}`;
    const saved = process.env.PAYMENTS_ENCRYPTION_KEYS;
    try {
      process.env.PAYMENTS_ENCRYPTION_KEYS = oldKey;
      const { organization, actor } = await world();
      await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100009", secretKey: YK_SECRET } });
      await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: SK, webhookSecret: WHSEC } });
      const before = await db.paymentAccount.findMany({ where: { organizationId: organization.id } });
      expect(before.map((r) => keyIdOf(r.credentials!))).toEqual(["old", "old"]);

      process.env.PAYMENTS_ENCRYPTION_KEYS = `${newKey},${oldKey}`;
      const first = await rotatePaymentCredentials();
      expect(first.keyId).toBe("new");
      // (another test of this file plants an unreadable blob on purpose: it is reported, never changed)
      expect(first.failed.filter((f) => f.organizationId === organization.id)).toEqual([]);
      expect(first.rotated).toBeGreaterThanOrEqual(2);
      const after = await db.paymentAccount.findMany({ where: { organizationId: organization.id } });
      expect(after.map((r) => keyIdOf(r.credentials!))).toEqual(["new", "new"]);
      const second = await rotatePaymentCredentials();
      expect(second.rotated).toBe(0);

      process.env.PAYMENTS_ENCRYPTION_KEYS = newKey;
      expect((await providerForPayment(organization.id, "yookassa")).id).toBe("yookassa");
      expect((await providerForPayment(organization.id, "stripe")).id).toBe("stripe");
      const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: organization.id, action: "payment_account.updated", actorId: null } });
      expect(audit.changes).toMatchObject({ credentials: { keyId: { from: "old", to: "new" } }, by: "payments:rotate-keys" });
    } finally {
      if (saved === undefined) delete process.env.PAYMENTS_ENCRYPTION_KEYS;
      else process.env.PAYMENTS_ENCRYPTION_KEYS = saved;
    }
  });
});

describe("payment accounts: who may do what", () => {
  test("only the owner manages; moderators and platform admins see the hints; others see nothing", async () => {
    const { organization, actor } = await world();
    const moderator = await createUser();
    await addMember(organization, moderator);
    const admin = await createUser({ isPlatformAdmin: true });
    const stranger = await createUser();
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "manual", instructions: "Наличными на входе" } });

    for (const who of [moderator, admin]) {
      await expectAppError(savePaymentAccount({ actor: as(who), organizationId: organization.id, input: { provider: "manual", instructions: "другое" } }), "FORBIDDEN");
      await expectAppError(disconnectPaymentAccount({ actor: as(who), organizationId: organization.id, provider: "manual" }), "FORBIDDEN");
      await expectAppError(testPaymentAccount({ actor: as(who), organizationId: organization.id, provider: "yookassa" }), "FORBIDDEN");
      const seen = await listPaymentAccounts({ actor: as(who), organizationId: organization.id });
      expect(seen.canManage).toBe(false);
      expect(seen.accounts.manual?.manualInstructions).toBe("Наличными на входе");
    }
    await expectAppError(savePaymentAccount({ actor: as(stranger), organizationId: organization.id, input: { provider: "manual" } }), "NOT_FOUND");
    await expectAppError(listPaymentAccounts({ actor: as(stranger), organizationId: organization.id }), "NOT_FOUND");
    await expectAppError(listPaymentAccounts({ actor: null, organizationId: organization.id }), "UNAUTHENTICATED");
    expect((await listPaymentAccounts({ actor, organizationId: organization.id })).canManage).toBe(true);
    const manual = await db.paymentAccount.findFirstOrThrow({ where: { organizationId: organization.id } });
    expect(manual.manualInstructions).toBe("Наличными на входе");
  });

  test("tenant scoping: an owner of one organization cannot touch another's accounts", async () => {
    const a = await world();
    const b = await world();
    await connectPayments(b.organization, ["manual"]);
    await expectAppError(savePaymentAccount({ actor: a.actor, organizationId: b.organization.id, input: { provider: "manual" } }), "NOT_FOUND");
    await expectAppError(disconnectPaymentAccount({ actor: a.actor, organizationId: b.organization.id, provider: "manual" }), "NOT_FOUND");
    await expectAppError(listPaymentAccounts({ actor: a.actor, organizationId: b.organization.id }), "NOT_FOUND");
    await expectAppError(testPaymentAccount({ actor: a.actor, organizationId: b.organization.id, provider: "demo" }), "NOT_FOUND");
    expect(await db.paymentAccount.count({ where: { organizationId: b.organization.id } })).toBe(1);
    expect(await paymentRouteFor(a.organization.id, "RUB")).toBeNull();
    expect(await acceptedCurrencies(a.organization.id)).toEqual([]);
    expect(await paymentRouteFor("not-a-uuid", "RUB")).toBeNull();
  });
});

describe("payment accounts: routing", () => {
  test("the real provider for the currency, else demo, else manual, else nothing", async () => {
    const { organization, actor } = await world();
    const org = organization.id;
    expect(await paymentRouteFor(org, "RUB")).toBeNull();

    await savePaymentAccount({ actor, organizationId: org, input: { provider: "manual", instructions: "Перевод на карту" } });
    expect(await paymentRouteFor(org, "USD")).toEqual({ kind: "manual", instructions: "Перевод на карту" });

    await savePaymentAccount({ actor, organizationId: org, input: { provider: "demo" } });
    const demo = await paymentRouteFor(org, "USD");
    expect(demo).toMatchObject({ kind: "online", providerId: "demo" });
    expect(demo?.kind === "online" && demo.provider.id).toBe("demo");

    await savePaymentAccount({ actor, organizationId: org, input: { provider: "yookassa", shopId: "100005", secretKey: YK_SECRET } });
    const rub = await paymentRouteFor(org, "RUB");
    expect(rub).toMatchObject({ kind: "online", providerId: "yookassa" });
    expect(rub?.kind === "online" && rub.provider.id).toBe("yookassa");
    expect(await paymentRouteFor(org, "EUR")).toMatchObject({ kind: "online", providerId: "demo" });

    await savePaymentAccount({ actor, organizationId: org, input: { provider: "stripe", secretKey: SK, webhookSecret: WHSEC } });
    expect(await paymentRouteFor(org, "EUR")).toMatchObject({ kind: "online", providerId: "stripe" });
    expect(await paymentRouteFor(org, "USD")).toMatchObject({ kind: "online", providerId: "stripe" });
    expect(await paymentRouteFor(org, "RUB")).toMatchObject({ kind: "online", providerId: "yookassa" });

    await disconnectPaymentAccount({ actor, organizationId: org, provider: "demo" });
    await disconnectPaymentAccount({ actor, organizationId: org, provider: "yookassa" });
    expect(await paymentRouteFor(org, "RUB")).toEqual({ kind: "manual", instructions: "Перевод на карту" });
  });

  test("providerForPayment: the connected account's adapter; a disconnected one is a credentials error", async () => {
    const { organization, actor } = await world();
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: SK, webhookSecret: WHSEC } });
    expect((await providerForPayment(organization.id, "stripe")).id).toBe("stripe");
    await expectProviderError(providerForPayment(organization.id, "yookassa"), "credentials");
    await expectProviderError(providerForPayment(randomUUID(), "stripe"), "credentials");
    await disconnectPaymentAccount({ actor, organizationId: organization.id, provider: "stripe" });
    await expectProviderError(providerForPayment(organization.id, "stripe"), "credentials");
    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: organization.id, action: "payment_account.disconnected" } });
    expect(audit.changes).toMatchObject({ provider: "stripe", publicHint: { from: "sk_test_…4242", to: null } });
  });
});

describe("payment accounts: test connection", () => {
  test("YooKassa: working keys record verified_at; wrong keys clear it and the reason names no secret", async () => {
    const { organization, actor } = await world();
    const shop = yk.control.addShop();
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: shop.shopId, secretKey: shop.secretKey } });
    const ok = await testPaymentAccount({ actor, organizationId: organization.id, provider: "yookassa" });
    expect(ok.ok).toBe(true);
    expect((await db.paymentAccount.findFirstOrThrow({ where: { organizationId: organization.id } })).verifiedAt).not.toBeNull();

    // saving the same credentials again (an empty secret keeps the key) keeps the check
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: shop.shopId, secretKey: "" } });
    expect((await db.paymentAccount.findFirstOrThrow({ where: { organizationId: organization.id } })).verifiedAt).not.toBeNull();

    const wrong = `test_${"W".repeat(40)}`;
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: shop.shopId, secretKey: wrong } });
    expect((await db.paymentAccount.findFirstOrThrow({ where: { organizationId: organization.id } })).verifiedAt).toBeNull();
    const failed = await testPaymentAccount({ actor, organizationId: organization.id, provider: "yookassa" });
    expect(failed.ok).toBe(false);
    expect(JSON.stringify(failed)).not.toContain(wrong);
    expect((await db.paymentAccount.findFirstOrThrow({ where: { organizationId: organization.id } })).verifiedAt).toBeNull();
    const tested = await db.auditLog.findMany({ where: { organizationId: organization.id, action: "payment_account.tested" }, orderBy: { createdAt: "asc" } });
    expect(tested.map((a) => (a.changes as { ok: boolean }).ok)).toEqual([true, false]);
  });

  test("Stripe: working keys pass, a revoked key fails", async () => {
    const { organization, actor } = await world();
    const account = stripe.control.addAccount();
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: account.secretKey, webhookSecret: account.webhookSecret } });
    expect((await testPaymentAccount({ actor, organizationId: organization.id, provider: "stripe" })).ok).toBe(true);
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "stripe", secretKey: `sk_test_${"N".repeat(60)}` } });
    expect((await testPaymentAccount({ actor, organizationId: organization.id, provider: "stripe" })).ok).toBe(false);
    await expectAppError(testPaymentAccount({ actor, organizationId: organization.id, provider: "yookassa" }), "NOT_FOUND");
    await expectAppError(testPaymentAccount({ actor, organizationId: organization.id, provider: "manual" }), "NOT_FOUND");
  });
});

describe("publish guard: a paid type on sale needs a way to pay for its currency", () => {
  test("publishing is refused naming the currency until an account takes it", async () => {
    const { organization, actor } = await world();
    const event = await createEvent(organization, { status: "DRAFT" });
    await createTicketTypeRow(event, { name: "Бесплатный" });
    await createTicketTypeRow(event, { name: "Платный", priceCents: 10_000, currency: "USD" });
    await expectAppError(publishEvent({ actor, eventId: event.id }), "CONFLICT", "errors.noWayToPayUSD");
    expect((await db.event.findUniqueOrThrow({ where: { id: event.id } })).status).toBe("DRAFT");
    // the event page says so before the click
    expect((await getEventForManage({ actor, eventId: event.id })).publishBlockers).toEqual(["errors.noWayToPayUSD"]);

    // YooKassa takes RUB only
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100006", secretKey: YK_SECRET } });
    await expectAppError(publishEvent({ actor, eventId: event.id }), "CONFLICT", "errors.noWayToPayUSD");
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "manual" } });
    expect((await getEventForManage({ actor, eventId: event.id })).publishBlockers).toEqual([]);
    expect((await publishEvent({ actor, eventId: event.id })).status).toBe("PUBLISHED");
  });

  test("a free event, and an inactive paid type, publish without any account", async () => {
    const { organization, actor } = await world();
    const event = await createEvent(organization, { status: "DRAFT" });
    await createTicketTypeRow(event, { name: "Бесплатный" });
    await createTicketTypeRow(event, { name: "Скрытый", priceCents: 5000, currency: "EUR", isActive: false });
    expect((await publishEvent({ actor, eventId: event.id })).status).toBe("PUBLISHED");
  });

  test("adding, editing and activating a paid type on a published event are refused on the currency field", async () => {
    const { organization, actor } = await world();
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100007", secretKey: YK_SECRET } });
    const event = await createEvent(organization);
    const draft = await createEvent(organization, { status: "DRAFT" });

    const added = await expectAppError(
      createTicketType({ actor, eventId: event.id, input: { name: "VIP", price: "100", currency: "EUR", quantity: "10" } as never }),
      "CONFLICT",
      "errors.noWayToPayEUR",
    );
    expect(added.fieldErrors).toEqual({ currency: "errors.noWayToPayEUR" });
    expect(await db.ticketType.count({ where: { eventId: event.id } })).toBe(0);
    // RUB is taken by YooKassa; a draft is not on sale
    const rub = await createTicketType({ actor, eventId: event.id, input: { name: "Стандарт", price: "100", currency: "RUB", quantity: "10" } as never });
    await createTicketType({ actor, eventId: draft.id, input: { name: "VIP", price: "100", currency: "EUR", quantity: "10" } as never });

    await expectAppError(updateTicketType({ actor, ticketTypeId: rub.id, input: { currency: "USD" } }), "CONFLICT", "errors.noWayToPayUSD");
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: rub.id } })).currency).toBe("RUB");
    const free = await createTicketTypeRow(event, { name: "Free", currency: "EUR" });
    await expectAppError(updateTicketType({ actor, ticketTypeId: free.id, input: { price: "5" } }), "CONFLICT", "errors.noWayToPayEUR");
    // other edits of a type are not blocked
    await updateTicketType({ actor, ticketTypeId: free.id, input: { name: "Бесплатный" } });

    const inactive = await createTicketTypeRow(event, { name: "Old", priceCents: 1000, currency: "USD", isActive: false });
    await expectAppError(activateTicketType({ actor, ticketTypeId: inactive.id }), "CONFLICT", "errors.noWayToPayUSD");
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: inactive.id } })).isActive).toBe(false);
    await connectPayments(organization, ["manual"]);
    await activateTicketType({ actor, ticketTypeId: inactive.id });
  });

  test("disconnecting is refused while a published paid type needs the account, or while its payments are open", async () => {
    const { organization, actor } = await world();
    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "yookassa", shopId: "100008", secretKey: YK_SECRET } });
    const event = await createEvent(organization);
    const type = await createTicketTypeRow(event, { priceCents: 10_000, currency: "RUB" });
    await expectAppError(disconnectPaymentAccount({ actor, organizationId: organization.id, provider: "yookassa" }), "CONFLICT", "errors.noWayToPayRUB");
    expect(await db.paymentAccount.count({ where: { organizationId: organization.id } })).toBe(1);

    await savePaymentAccount({ actor, organizationId: organization.id, input: { provider: "manual" } });
    const registration = await createRegistration(event, type, { status: "RESERVED" });
    const payment = await db.payment.create({
      data: {
        organizationId: organization.id,
        registrationId: registration.id,
        provider: "yookassa",
        status: "PENDING",
        amountCents: 10_000,
        currency: "RUB",
        idempotencyKey: randomUUID(),
      },
    });
    await expectAppError(disconnectPaymentAccount({ actor, organizationId: organization.id, provider: "yookassa" }), "CONFLICT", "paymentsAdmin.errors.paymentsInProgress");
    await db.$executeRaw`DELETE FROM payments WHERE id = ${payment.id}::uuid`;
    expect(await disconnectPaymentAccount({ actor, organizationId: organization.id, provider: "yookassa" })).toEqual({ removed: true });
    expect(await disconnectPaymentAccount({ actor, organizationId: organization.id, provider: "yookassa" })).toEqual({ removed: false });
    // manual is the last way to pay RUB now
    await expectAppError(disconnectPaymentAccount({ actor, organizationId: organization.id, provider: "manual" }), "CONFLICT", "errors.noWayToPayRUB");
  });
});
