// Online payments end to end on our side, against the YooKassa and Stripe fakes over real HTTP (through
// the adapters from lib/payments/providers and the organization's account from lib/payments/accounts):
// checkout → provider checkout → the fake's webhook delivered to OUR route handler → the stored delivery's
// job → the one settle path; the reconciliation; the return page's status; and the bad input of the issue
// (forged/unsigned webhooks, unknown payments, tampered amounts and URLs, another tenant's URL).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as webhookRoute } from "@/app/api/payments/webhooks/[provider]/[organization]/route";
import { GET as statusRoute } from "@/app/api/payments/[paymentId]/status/route";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import { savePaymentAccount } from "@/lib/payments/accounts";
import { startCheckout } from "@/lib/payments/checkout";
import { reconcilePayments } from "@/lib/payments/reconcile";
import { returnLinkKey } from "@/lib/payments/return-link";
import { getPaymentStatus, getTicketPayments } from "@/lib/payments/status";
import { executeRefund } from "@/lib/payments/refunds";
import { processWebhookEvent } from "@/lib/payments/webhooks";
import { expireReservations } from "@/lib/registrations/expiry";
import { actorOf, type Actor } from "@/lib/permissions";
import { register } from "@/lib/registrations/register";
import { createEvent, createOrganization, createTicketType, createUser } from "@/tests/helpers/factories";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { startFakeStripe, stripeSignatureHeader, type FakeStripeHandle } from "@/tests/fakes/stripe-api";
import { startFakeYooKassa, type FakeYooKassaHandle } from "@/tests/fakes/yookassa-api";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;

let yk: FakeYooKassaHandle;
let st: FakeStripeHandle;
/** Our app as the fakes see it: forwards each delivery to the route handler, as the server would. */
let app: http.Server;
let appUrl: string;

beforeAll(async () => {
  app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const match = /^\/api\/payments\/webhooks\/([^/]+)\/([^/?]+)/.exec(req.url ?? "");
      if (!match) return res.writeHead(404).end();
      const headers = fromClient("127.0.0.1");
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host") headers.set(k, v);
      const response = await webhookRoute(
        new Request(`http://localhost${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks).toString("utf8") }),
        { params: Promise.resolve({ provider: match[1], organization: match[2] }) },
      );
      res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  yk = await startFakeYooKassa({ webhookRetryDelaysMs: [20, 40] });
  st = await startFakeStripe({ webhookRetryDelaysMs: [20, 40] });
  // before the first env() of this process
  process.env.YOOKASSA_API_URL = `${yk.url}/v3/`;
  process.env.STRIPE_API_URL = st.url;
  process.env.YOOKASSA_WEBHOOK_IPS = "127.0.0.1";
});

afterAll(async () => {
  await yk?.stop();
  await st?.stop();
  await new Promise((resolve) => app?.close(resolve));
});

function webhookUrl(provider: string, organizationId: string) {
  return `${appUrl}/api/payments/webhooks/${provider}/${organizationId}`;
}

async function world(options: { provider?: "yookassa" | "stripe"; type?: Parameters<typeof createTicketType>[1] } = {}) {
  const provider = options.provider ?? "yookassa";
  const { organization, owner } = await createOrganization();
  if (provider === "yookassa") {
    const shop = yk.control.addShop({ webhookUrl: webhookUrl("yookassa", organization.id) });
    await savePaymentAccount({ actor: as(owner), organizationId: organization.id, input: { provider: "yookassa", shopId: shop.shopId, secretKey: shop.secretKey } });
  } else {
    const account = st.control.addAccount({ webhookUrl: webhookUrl("stripe", organization.id) });
    await savePaymentAccount({ actor: as(owner), organizationId: organization.id, input: { provider: "stripe", secretKey: account.secretKey, webhookSecret: account.webhookSecret } });
  }
  const event = await createEvent(organization);
  const type = await createTicketType(event, {
    quantity: 10,
    priceCents: 150_000,
    currency: provider === "yookassa" ? "RUB" : "EUR",
    reservationMinutes: 10,
    ...options.type,
  });
  const participant = await createUser();
  const reg = await register({ actor: as(participant), eventId: event.id, ticketTypeId: type.id });
  return { organization, owner, event, type, participant, reg };
}

/** Runs the stored webhook jobs of a payment as the job runner would (and marks them done). */
async function runWebhookJobs(): Promise<string[]> {
  const jobs = await db.job.findMany({ where: { name: "payments-webhook", status: "PENDING" }, orderBy: { createdAt: "asc" } });
  const outcomes: string[] = [];
  for (const job of jobs) {
    const claimed = await db.job.updateMany({ where: { id: job.id, status: "PENDING" }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    if (claimed.count === 0) continue;
    outcomes.push(await processWebhookEvent(job.payload as never));
  }
  return outcomes;
}

async function postWebhook(provider: string, organizationId: string, body: string, headers: Record<string, string> = {}, ip = "127.0.0.1") {
  return webhookRoute(
    new Request(webhookUrl(provider, organizationId), { method: "POST", headers: fromClient(ip, { "content-type": "application/json", ...headers }), body }),
    { params: Promise.resolve({ provider, organization: organizationId }) },
  );
}

async function counters(ticketTypeId: string) {
  return db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId }, select: { soldCount: true, reservedCount: true } });
}

describe("checkout → YooKassa → webhook → settle", () => {
  test("Pay: PROCESSING with the provider's checkout, the hold extended; the webhook arrives before the buyer returns and confirms; the return page says paid", async () => {
    const { type, participant, reg } = await world();
    const before = await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } });
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    expect(checkout.kind).toBe("redirect");
    if (checkout.kind !== "redirect") return;
    expect(checkout.redirectUrl).toMatch(new RegExp(`^${yk.url}/checkout/`));
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    expect(payment).toMatchObject({ provider: "yookassa", status: "PROCESSING", kind: "FULL", amountCents: 150_000, currency: "RUB", checkoutUrl: checkout.redirectUrl });
    const after = await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } });
    expect(after.expiresAt!.getTime()).toBeGreaterThan(before.expiresAt!.getTime() + 15 * 60_000);
    expect(Math.abs(after.expiresAt!.getTime() - payment.checkoutExpiresAt!.getTime())).toBeLessThan(1000);

    // What the provider got came from the server: the price, our return page.
    const [create] = yk.control.requestsTo("POST", "/v3/payments").filter((r) => JSON.parse(r.body).metadata?.payment_id === payment.id);
    const body = JSON.parse(create.body);
    expect(body.amount).toEqual({ value: "1500.00", currency: "RUB" });
    expect(body.confirmation.return_url).toBe(`http://localhost:3000/pay/return/${payment.id}?k=${returnLinkKey(payment.id)}`);
    expect(create.headers["idempotence-key"]).toBe(payment.idempotencyKey);

    // Pressing Pay again returns the same checkout: no second payment anywhere.
    const again = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    expect(again).toEqual(checkout);
    expect(await db.payment.count({ where: { registrationId: reg.registrationId } })).toBe(1);

    yk.control.pay(payment.providerPaymentId!);
    await yk.control.waitForDeliveries((d) => d.type === "payment.succeeded" && d.ok, 1);
    const stored = await db.paymentWebhookEvent.findMany({ where: { paymentId: payment.id } });
    expect(stored.map((e) => e.type)).toContain("payment.succeeded");
    expect(await runWebhookJobs()).toContain("completed");
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("COMPLETED");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CONFIRMED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    expect(await db.paymentWebhookEvent.findFirstOrThrow({ where: { paymentId: payment.id, type: "payment.succeeded" } })).toMatchObject({ outcome: "completed" });

    // The buyer comes back (guest-style, with the return link's key only): paid, here is the ticket.
    const view = await getPaymentStatus({ paymentId: payment.id, returnKey: returnLinkKey(payment.id) });
    expect(view).toMatchObject({ state: "paid", ticketPath: `/dashboard/tickets/${reg.registrationId}`, amountCents: 150_000 });
  });

  test("the same webhook 10× in parallel → one stored delivery, one job, one COMPLETED, one receipt", async () => {
    const { participant, reg, organization } = await world();
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "en" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    yk.control.scenario({ webhook: "dropped" }, { id: payment.providerPaymentId! });
    yk.control.pay(payment.providerPaymentId!);
    await new Promise((r) => setTimeout(r, 50));
    const notification = JSON.stringify({ type: "notification", event: "payment.succeeded", object: yk.control.payment(payment.providerPaymentId!) });
    const answers = await Promise.all(Array.from({ length: 10 }, () => postWebhook("yookassa", organization.id, notification)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const results = await Promise.all(answers.map(async (a) => ((await a.json()) as { result: string }).result));
    expect(results.filter((r) => r === "stored")).toHaveLength(1);
    expect(results.filter((r) => r === "duplicate")).toHaveLength(9);
    expect(await db.paymentWebhookEvent.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await db.job.count({ where: { name: "payments-webhook", payload: { path: ["webhookEventId"], equals: (await db.paymentWebhookEvent.findFirstOrThrow({ where: { paymentId: payment.id } })).id } } })).toBe(1);
    await runWebhookJobs();
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("COMPLETED");
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "payment.receipt" } })).toBe(1);
  });

  test("a declined payment → FAILED with the reason; the hold stays; Pay again opens a new checkout", async () => {
    const { participant, reg } = await world();
    const first = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    if (first.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: first.paymentId } });
    yk.control.decline(payment.providerPaymentId!);
    await yk.control.waitForDeliveries((d) => d.type === "payment.canceled" && d.ok && d.body.includes(payment.providerPaymentId!), 1);
    await runWebhookJobs();
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "FAILED" });
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).failureReason).toBeTruthy();
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("RESERVED");
    expect((await getPaymentStatus({ paymentId: payment.id, actor: as(participant) })).state).toBe("failed");
    const second = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    expect(second.kind).toBe("redirect");
    if (second.kind === "redirect") expect(second.paymentId).not.toBe(payment.id);
  });
});

describe("reconciliation: a lost answer or a lost webhook never loses money", () => {
  test("the provider made the payment but its answer was lost → PENDING; the reconciliation repeats with the SAME key → one payment at the provider", async () => {
    const { participant, reg } = await world();
    yk.control.failNext({ executed: true, method: "POST", path: "/v3/payments" });
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    expect(checkout.kind).toBe("pending");
    const payment = await db.payment.findFirstOrThrow({ where: { registrationId: reg.registrationId } });
    expect(payment).toMatchObject({ status: "PENDING", providerPaymentId: null });

    await db.$executeRaw`UPDATE payments SET updated_at = now() - interval '2 minutes' WHERE id = ${payment.id}::uuid`;
    const result = await reconcilePayments();
    expect(result.retried).toBeGreaterThanOrEqual(1);
    const after = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after.status).toBe("PROCESSING");
    const creates = yk.control.requestsTo("POST", "/v3/payments").filter((r) => r.headers["idempotence-key"] === payment.idempotencyKey);
    expect(creates.length).toBe(2);
    expect(new Set(creates.filter((r) => r.status === 200).map((r) => (r.response as { id?: string } | null)?.id)).size).toBeLessThanOrEqual(1);
    expect(yk.control.payments().filter((p) => (p.metadata as Record<string, string>)?.payment_id === payment.id)).toHaveLength(1);
  });

  test("a crash between the provider's success and our commit (webhook dropped) → the reconciliation confirms it", async () => {
    const { type, participant, reg } = await world();
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    yk.control.scenario({ webhook: "dropped" }, { id: payment.providerPaymentId! });
    yk.control.pay(payment.providerPaymentId!);
    // Nothing told us. Two minutes later the reconciliation re-reads it.
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PROCESSING");
    await db.$executeRaw`UPDATE payments SET updated_at = now() - interval '3 minutes' WHERE id = ${payment.id}::uuid`;
    const result = await reconcilePayments();
    expect(result.settled).toBeGreaterThanOrEqual(1);
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("COMPLETED");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CONFIRMED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
  });

  test("the webhook's job crashes after the provider took the money (its re-read fails) → nothing half-done; the reconciliation confirms it", async () => {
    const { type, participant, reg } = await world();
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    yk.control.pay(payment.providerPaymentId!);
    await yk.control.waitForDeliveries((d) => d.type === "payment.succeeded" && d.ok && d.body.includes(payment.providerPaymentId!), 1);
    const [job] = await db.job.findMany({ where: { name: "payments-webhook", status: "PENDING", payload: { path: ["providerPaymentId"], equals: payment.providerPaymentId! } } });
    expect(job).toBeTruthy();
    yk.control.failNext({ method: "GET", path: `/v3/payments/${payment.providerPaymentId}`, status: 500 }, 1);
    await expect(processWebhookEvent(job.payload as never)).rejects.toThrow();
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PROCESSING");
    expect((await db.paymentWebhookEvent.findFirstOrThrow({ where: { paymentId: payment.id } })).processedAt).toBeNull();
    expect(await counters(type.id)).toEqual({ soldCount: 0, reservedCount: 1 });

    await db.$executeRaw`UPDATE payments SET updated_at = now() - interval '3 minutes' WHERE id = ${payment.id}::uuid`;
    await reconcilePayments();
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("COMPLETED");
    expect(await counters(type.id)).toEqual({ soldCount: 1, reservedCount: 0 });
    // The job's retry later finds it settled: nothing moves twice.
    expect(await processWebhookEvent(job.payload as never)).toBe("unchanged");
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "payment.receipt" } })).toBe(1);
  });

  test("the return page's status re-reads the provider at most once per few seconds, however many tabs poll", async () => {
    const { participant, reg } = await world();
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    const reads = () => yk.control.requestsTo("GET", `/v3/payments/${payment.providerPaymentId}`).length;
    const before = reads();
    await Promise.all(Array.from({ length: 5 }, () => getPaymentStatus({ paymentId: payment.id, actor: as(participant) })));
    expect(reads() - before).toBe(0); // just written: not due yet
    await db.$executeRaw`UPDATE payments SET updated_at = now() - interval '10 seconds' WHERE id = ${payment.id}::uuid`;
    yk.control.scenario({ webhook: "dropped" }, { id: payment.providerPaymentId! });
    yk.control.pay(payment.providerPaymentId!);
    const views = await Promise.all(Array.from({ length: 5 }, () => getPaymentStatus({ paymentId: payment.id, returnKey: returnLinkKey(payment.id) })));
    expect(reads() - before).toBe(1);
    expect(views.some((v) => v.state === "paid")).toBe(true);
    expect((await getPaymentStatus({ paymentId: payment.id, actor: as(participant) })).state).toBe("paid");
  });

  test("the reconciliation takes each payment once even when two run at the same time", async () => {
    const { participant, reg } = await world();
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    await db.$executeRaw`UPDATE payments SET updated_at = now() - interval '3 minutes' WHERE id = ${payment.id}::uuid`;
    const reads = () => yk.control.requestsTo("GET", `/v3/payments/${payment.providerPaymentId}`).length;
    const before = reads();
    await Promise.all([reconcilePayments(), reconcilePayments()]);
    expect(reads() - before).toBe(1);
  });
});

describe("prepayment online: the deposit now, the remainder later from the ticket page", () => {
  test("purpose prepayment pays ceil(price × percent); purpose remainder pays what is left; amounts never come from input", async () => {
    const { participant, reg } = await world({ type: { priceCents: 10_001, prepaymentPercent: 30 } });
    const deposit = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "prepayment", locale: "ru", amountCents: 1 } as never);
    if (deposit.kind !== "redirect") throw new Error("expected a checkout");
    const first = await db.payment.findUniqueOrThrow({ where: { id: deposit.paymentId } });
    expect(first).toMatchObject({ kind: "PREPAYMENT", amountCents: 3001 });
    yk.control.pay(first.providerPaymentId!);
    await yk.control.waitForDeliveries((d) => d.type === "payment.succeeded" && d.ok && d.body.includes(first.providerPaymentId!), 1);
    await runWebhookJobs();
    expect(await db.prepayment.findUniqueOrThrow({ where: { registrationId: reg.registrationId } })).toMatchObject({ status: "PARTIAL", remainingCents: 7000 });

    const rest = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "remainder", locale: "ru" });
    if (rest.kind !== "redirect") throw new Error("expected a checkout");
    const second = await db.payment.findUniqueOrThrow({ where: { id: rest.paymentId } });
    expect(second).toMatchObject({ kind: "REMAINDER", amountCents: 7000 });
    yk.control.pay(second.providerPaymentId!);
    await yk.control.waitForDeliveries((d) => d.type === "payment.succeeded" && d.ok && d.body.includes(second.providerPaymentId!), 1);
    await runWebhookJobs();
    expect(await db.prepayment.findUniqueOrThrow({ where: { registrationId: reg.registrationId } })).toMatchObject({ status: "COMPLETED", remainingCents: 0 });
    await expect(startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "remainder", locale: "ru" })).rejects.toMatchObject({ message: "errors.noRemainingPayment" });
  });
});

describe("Stripe: signed webhooks", () => {
  test("checkout session → paid → signed webhook → COMPLETED; forged or unsigned → 400, nothing written", async () => {
    const { participant, reg, organization } = await world({ provider: "stripe" });
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "en" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    expect(payment.providerPaymentId).toMatch(/^cs_/);

    const forgedBody = JSON.stringify({ id: "evt_forged", object: "event", type: "checkout.session.completed", data: { object: { id: payment.providerPaymentId, object: "checkout.session", client_reference_id: payment.id, metadata: { payment_id: payment.id } } } });
    const eventsBefore = await db.paymentWebhookEvent.count({ where: { organizationId: organization.id } });
    const unsigned = await postWebhook("stripe", organization.id, forgedBody);
    expect(unsigned.status).toBe(400);
    const forged = await postWebhook("stripe", organization.id, forgedBody, { "stripe-signature": stripeSignatureHeader(forgedBody, "whsec_not_the_secret") });
    expect(forged.status).toBe(400);
    expect(await db.paymentWebhookEvent.count({ where: { organizationId: organization.id } })).toBe(eventsBefore);
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PROCESSING");

    st.control.pay(payment.providerPaymentId!);
    await st.control.waitForDeliveries((d) => d.type === "checkout.session.completed" && d.ok, 1);
    await runWebhookJobs();
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("COMPLETED");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("CONFIRMED");
  });
});

describe("paid after the hold ended, no seat left: the money really goes back", () => {
  test("settle requests the refund → its job refunds at YooKassa (pending) → the refund webhook through our route → syncRefund → REFUNDED; the return page says refunded", async () => {
    const { event, type, participant, reg } = await world({ type: { quantity: 1 } });
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    // The hold ends, the seat goes to someone else, and only then the buyer pays.
    await db.$executeRaw`UPDATE registrations SET expires_at = now() - interval '1 minute' WHERE id = ${reg.registrationId}::uuid`;
    await expireReservations({ ticketTypeId: type.id });
    await register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id });
    yk.control.scenario({ refund: { manual: true } }, { id: payment.providerPaymentId! });
    yk.control.pay(payment.providerPaymentId!);
    await yk.control.waitForDeliveries((d) => d.type === "payment.succeeded" && d.ok && d.body.includes(payment.providerPaymentId!), 1);
    expect(await runWebhookJobs()).toContain("refunded");
    const refund = await db.refund.findFirstOrThrow({ where: { paymentId: payment.id } });
    expect(refund).toMatchObject({ status: "PENDING", origin: "late_payment", amountCents: 150_000 });
    expect((await getPaymentStatus({ paymentId: payment.id, actor: as(participant) })).state).toBe("refunded");

    // The refund's job (lib/payments/refunds.ts) asks YooKassa, which answers "pending" for now.
    await executeRefund(refund.id);
    const asked = await db.refund.findUniqueOrThrow({ where: { id: refund.id } });
    expect(asked.status).toBe("PENDING");
    expect(asked.providerRefundId).toBeTruthy();
    yk.control.settleRefund(asked.providerRefundId!, "succeeded");
    await yk.control.waitForDeliveries((d) => d.type === "refund.succeeded" && d.ok && d.body.includes(asked.providerRefundId!), 1);
    expect(await runWebhookJobs()).toContain("refund_synced");
    expect((await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).status).toBe("COMPLETED");
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("REFUNDED");
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.registrationId } })).status).toBe("EXPIRED");
    expect((await getPaymentStatus({ paymentId: payment.id, returnKey: returnLinkKey(payment.id) })).state).toBe("refunded");
    expect(await db.notificationLog.count({ where: { userId: participant.id, templateCode: "payment.late_refunded" } })).toBe(1);
  });
});

describe("a guest pays through the private ticket link", () => {
  test("the ticket token authorizes Pay and the ticket's payments; the return key shows the guest's ticket link", async () => {
    const { organization } = await world();
    const event = await createEvent(organization, { settings: { allowGuests: true } as never });
    const type = await createTicketType(event, { quantity: 5, priceCents: 50_000, currency: "RUB", reservationMinutes: 10 });
    const guest = await register({ eventId: event.id, ticketTypeId: type.id, firstName: "Гость", email: `guest-${Date.now()}@example.com` });
    expect(guest.guestToken).toBeTruthy();
    const token = guest.guestToken!;

    const before = await getTicketPayments({ guestToken: token, registrationId: guest.registrationId });
    expect(before).toMatchObject({ method: "online", open: null, payments: [], priceCents: 50_000, depositCents: null });
    await expect(getTicketPayments({ guestToken: "y".repeat(43), registrationId: guest.registrationId })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const checkout = await startCheckout({ guestToken: token, registrationId: guest.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const open = await getTicketPayments({ guestToken: token, registrationId: guest.registrationId });
    expect(open.open).toMatchObject({ paymentId: checkout.paymentId, checkoutUrl: checkout.redirectUrl });

    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    yk.control.pay(payment.providerPaymentId!);
    await yk.control.waitForDeliveries((d) => d.type === "payment.succeeded" && d.ok && d.body.includes(payment.providerPaymentId!), 1);
    await runWebhookJobs();
    const view = await getPaymentStatus({ paymentId: payment.id, returnKey: returnLinkKey(payment.id) });
    expect(view).toMatchObject({ state: "paid", ticketPath: `/t/${token}` });
    const after = await getTicketPayments({ guestToken: token, registrationId: guest.registrationId });
    expect(after.open).toBeNull();
    expect(after.payments).toMatchObject([{ id: payment.id, status: "COMPLETED", kind: "FULL", amountCents: 50_000, refundedCents: 0 }]);
  });
});

describe("bad input", () => {
  test("a webhook for a payment we do not know → 200, nothing written; YooKassa from a foreign address → 403", async () => {
    const { organization } = await world();
    const before = await db.paymentWebhookEvent.count();
    const jobsBefore = await db.job.count({ where: { name: "payments-webhook" } });
    const unknown = JSON.stringify({ type: "notification", event: "payment.succeeded", object: { id: "2f0c0000-000f-5000-8000-000000000000", status: "succeeded", amount: { value: "1.00", currency: "RUB" }, metadata: {} } });
    const answer = await postWebhook("yookassa", organization.id, unknown);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ result: "unknown_payment" });
    const foreign = await postWebhook("yookassa", organization.id, unknown, {}, uniqueIp());
    expect(foreign.status).toBe(403);
    expect(await db.paymentWebhookEvent.count()).toBe(before);
    expect(await db.job.count({ where: { name: "payments-webhook" } })).toBe(jobsBefore);
  });

  test("another organization's webhook URL never reaches this payment", async () => {
    const a = await world();
    const b = await world();
    const checkout = await startCheckout({ actor: as(a.participant), registrationId: a.reg.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    const payment = await db.payment.findUniqueOrThrow({ where: { id: checkout.paymentId } });
    yk.control.scenario({ webhook: "dropped" }, { id: payment.providerPaymentId! });
    yk.control.pay(payment.providerPaymentId!);
    const body = JSON.stringify({ type: "notification", event: "payment.succeeded", object: yk.control.payment(payment.providerPaymentId!) });
    const answer = await postWebhook("yookassa", b.organization.id, body);
    expect(await answer.json()).toMatchObject({ result: "unknown_payment" });
    expect(await db.paymentWebhookEvent.count({ where: { paymentId: payment.id } })).toBe(0);
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PROCESSING");
  });

  test("only the registration's owner (or its guest token) may pay; the status needs the owner or the return key", async () => {
    const { participant, reg } = await world();
    const stranger = await createUser();
    await expect(startCheckout({ actor: as(stranger), registrationId: reg.registrationId, purpose: "full", locale: "ru" })).rejects.toBeInstanceOf(AppError);
    await expect(startCheckout({ guestToken: "x".repeat(43), registrationId: reg.registrationId, purpose: "full", locale: "ru" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const checkout = await startCheckout({ actor: as(participant), registrationId: reg.registrationId, purpose: "full", locale: "ru" });
    if (checkout.kind !== "redirect") throw new Error("expected a checkout");
    await expect(getPaymentStatus({ paymentId: checkout.paymentId, actor: as(stranger) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getPaymentStatus({ paymentId: checkout.paymentId, returnKey: returnLinkKey(reg.registrationId) })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const tampered = await statusRoute(new Request(`http://localhost/api/payments/${checkout.paymentId}/status?k=${"A".repeat(43)}`, { headers: fromClient(uniqueIp()) }), {
      params: Promise.resolve({ paymentId: checkout.paymentId }),
    });
    expect(tampered.status).toBe(404);
    const ok = await statusRoute(new Request(`http://localhost/api/payments/${checkout.paymentId}/status?k=${returnLinkKey(checkout.paymentId)}`, { headers: fromClient(uniqueIp()) }), {
      params: Promise.resolve({ paymentId: checkout.paymentId }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, payment: { state: "processing", checkoutUrl: checkout.redirectUrl } });
  });
});
