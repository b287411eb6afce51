// POST /api/v1/registrations/:id/payments and POST /api/payments/demo/:id/pay — the route handlers called
// with plain Requests against a real PostgreSQL and the demo provider: who may start a checkout, what the
// body may (not) change, resuming an open checkout, bad input, the demo pay call.
import { encode } from "next-auth/jwt";
import { describe, expect, test } from "vitest";
import { POST as checkout } from "@/app/api/v1/registrations/[registrationId]/payments/route";
import { POST as demoPay } from "@/app/api/payments/demo/[id]/pay/route";
import { db } from "@/lib/db";
import { authSecret } from "@/lib/env";
import type { User } from "@/lib/generated/prisma/client";
import { createSessionForUser } from "@/lib/identity/user-sessions";
import { reconcilePayments } from "@/lib/payments";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { connectPayments, createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const COOKIE = "authjs.session-token";

async function cookieFor(user: User): Promise<string> {
  const session = await createSessionForUser(user.id);
  const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
  return `${COOKIE}=${token}`;
}

function post(url: string, body: unknown, cookie?: string, raw?: string): Request {
  const headers = fromClient(uniqueIp(), { "content-type": "application/json", "accept-language": "en" });
  if (cookie) headers.set("cookie", cookie);
  return new Request(url, { method: "POST", headers, body: raw ?? JSON.stringify(body) });
}

const startCheckout = (registrationId: string, body: unknown, cookie?: string, raw?: string) =>
  checkout(post(`http://localhost/api/v1/registrations/${registrationId}/payments`, body, cookie, raw), { params: Promise.resolve({ registrationId }) });
const pay = (id: string, card: unknown) => demoPay(post(`http://localhost/api/payments/demo/${id}/pay`, { card }), { params: Promise.resolve({ id }) });

async function reserved(priceCents = 150_000) {
  const { organization } = await createOrganization();
  await connectPayments(organization, ["demo"]);
  const event = await createEvent(organization);
  const type = await createTicketType(event, { priceCents, quantity: 5, reservationMinutes: 15 });
  const buyer = await createUser();
  const registration = await createRegistration(event, type, { user: buyer, status: "RESERVED" });
  return { organization, event, type, buyer, registration };
}

describe("POST /api/v1/registrations/:id/payments", () => {
  test("the owner starts a checkout: the server's amount and currency, the demo checkout; a second call resumes it", async () => {
    const { buyer, registration } = await reserved();
    const cookie = await cookieFor(buyer);
    // Amount, currency and return URL in the body are not the client's to choose: ignored.
    const res = await startCheckout(registration.id, { purpose: "full", amountCents: 1, currency: "USD", returnUrl: "https://evil.example" }, cookie);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, checkout: { kind: "redirect" } });
    expect(body.checkout.redirectUrl).toMatch(/\/pay\/demo\/[0-9a-f-]{36}$/);
    const payment = await db.payment.findUniqueOrThrow({ where: { id: body.checkout.paymentId } });
    expect(payment).toMatchObject({ registrationId: registration.id, provider: "demo", status: "PROCESSING", amountCents: 150_000, currency: "RUB" });

    const again = await (await startCheckout(registration.id, {}, cookie)).json();
    expect(again.checkout).toEqual(body.checkout);
    expect(await db.payment.count({ where: { registrationId: registration.id } })).toBe(1);
  });

  test("someone else, or nobody, gets 404 and nothing is written; a bad purpose or body is 400", async () => {
    const { registration } = await reserved();
    const stranger = await createUser();
    const other = await startCheckout(registration.id, {}, await cookieFor(stranger));
    expect(other.status).toBe(404);
    expect(await startCheckout(registration.id, {}).then((r) => r.status)).toBe(404);
    const bad = await startCheckout(registration.id, { purpose: "everything" }, await cookieFor(stranger));
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors).toHaveProperty("purpose");
    expect((await startCheckout(registration.id, null, undefined, "{not json")).status).toBe(400);
    expect(await db.payment.count({ where: { registrationId: registration.id } })).toBe(0);
  });
});

describe("POST /api/payments/demo/:id/pay", () => {
  test("the success card pays the demo checkout; our payment completes when settled; a second pay is 'closed'", async () => {
    const { buyer, registration } = await reserved();
    const { checkout: started } = await (await startCheckout(registration.id, {}, await cookieFor(buyer))).json();
    const demoId = /\/pay\/demo\/([0-9a-f-]{36})$/.exec(started.redirectUrl)![1];

    const unknownCard = await pay(demoId, "1111 2222 3333 4444");
    expect(unknownCard.status).toBe(400);
    const declined = await (await pay(demoId, "4000 0000 0000 0002")).json();
    expect(declined).toMatchObject({ ok: true, outcome: "declined" });
    const paid = await (await pay(demoId, "4242 4242 4242 4242")).json();
    expect(paid).toMatchObject({ ok: true, outcome: "paid" });
    expect(paid.returnUrl).toContain(`/pay/return/${started.paymentId}`);
    expect((await (await pay(demoId, "4242 4242 4242 4242")).json()).outcome).toBe("closed");

    // No webhook here (no server to receive it): the reconciliation re-reads the provider, as after a lost
    // webhook (it leaves payments touched in the last 10 s alone: this one is made older).
    await db.$executeRaw`UPDATE payments SET updated_at = now() - interval '1 minute' WHERE id = ${started.paymentId}::uuid`;
    await reconcilePayments({ processingAgeMs: 0, pendingAgeMs: 0 });
    expect(await db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ status: "COMPLETED" });
    expect(await db.registration.findUniqueOrThrow({ where: { id: registration.id } })).toMatchObject({ status: "CONFIRMED" });
  });

  test("an unknown checkout is 404", async () => {
    expect((await pay("00000000-0000-4000-8000-000000000000", "4242 4242 4242 4242")).status).toBe(404);
    expect((await pay("not-a-uuid", "4242 4242 4242 4242")).status).toBe(404);
  });
});
