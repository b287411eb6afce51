// Outbound webhooks end to end (docs/webhooks.md): the database triggers write the event, its deliveries and
// their jobs in the change's transaction (nothing for a rollback); the job runner POSTs them to a real HTTP
// receiver on 127.0.0.1 that verifies every signature with the reference library (`standardwebhooks`);
// payloads match lib/webhooks/payloads.ts exactly; failures retry and are logged; a day of failures
// switches the endpoint off and mails the owner; the URL guard refuses private addresses at save and at
// send; bulk statements give one event per row; 200 parallel sales give 200 deliveries, each received
// once; another organization sees and changes none of it.
process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = "1";

import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { cancelEvent } from "@/lib/events/lifecycle";
import { enqueue } from "@/lib/jobs/enqueue";
import { createRegistry } from "@/lib/jobs/registry";
import { Runner } from "@/lib/jobs/runner";
import { actorOf, type Actor } from "@/lib/permissions";
import { register } from "@/lib/registrations/register";
import {
  checkWebhookUrl,
  createEndpoint,
  deleteEndpoint,
  getDelivery,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  rotateSecret,
  setEndpointEnabled,
  sweepWebhookDeliveries,
  updateEndpoint,
  WEBHOOK_MAX_ENDPOINTS,
} from "@/lib/webhooks";
import { attemptJobId, deliverWebhook } from "@/lib/webhooks/deliver";
import { WEBHOOK_PAYLOAD_SCHEMAS, type WebhookPayload } from "@/lib/webhooks/payloads";
import type { WebhookEventType } from "@/lib/webhooks/types";
import { deliverWebhookJob } from "@/lib/worker/functions/webhooks";
import { addMember, createCheckIn, createEvent, createOrganization, createRegistration, createTicketType, createUser, uniqueEmail } from "@/tests/helpers/factories";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const registry = createRegistry([deliverWebhookJob]);

/** Runs due webhook jobs through the job runner until none is left. */
async function runWebhookJobs(): Promise<number> {
  const runner = new Runner({ registry, pollMs: 20, concurrency: 8, lockMs: 30_000, backoffBaseMs: 50, backoffJitter: 0, crons: false, logger: quiet });
  let total = 0;
  for (let i = 0; i < 200; i++) {
    const n = await runner.runOnce();
    total += n;
    if (n === 0) break;
  }
  return total;
}

/** Brings a delivery's next attempt (and its job) to now: the test's clock jump over the backoff. */
async function makeDue(deliveryId: string): Promise<void> {
  await db.$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = ${deliveryId}::uuid AND status = 'PENDING'`;
  await db.$executeRaw`UPDATE jobs SET run_at = now() WHERE status = 'PENDING' AND payload->>'deliveryId' = ${deliveryId}`;
}

/**
 * The test receiver: a real HTTP server on 127.0.0.1 (random port) that records every request (raw body,
 * headers) and answers 200 "ok", or the statuses queued for that path with answerNext(path, …).
 */
type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
const receiver = {
  url: "",
  received: [] as Received[],
  answers: new Map<string, number[]>(),
  server: null as http.Server | null,
  answerNext(path: string, ...statuses: number[]) {
    this.answers.set(path, [...(this.answers.get(path) ?? []), ...statuses]);
  },
};
beforeAll(async () => {
  receiver.server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      receiver.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = receiver.answers.get(path)?.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "ok" : `answer ${status}`);
    });
  });
  await new Promise<void>((resolve) => receiver.server!.listen(0, "127.0.0.1", () => resolve()));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    receiver.server?.close(() => resolve());
    receiver.server?.closeAllConnections();
  });
});

/** A receiver path of its own per test, and what came to it, each signature verified. */
function inbox(path: string, secret: string) {
  const wh = new Webhook(secret);
  return () =>
    receiver.received
      .filter((r) => r.path === path)
      .map((r) => {
        const headers = { "webhook-id": String(r.headers["webhook-id"]), "webhook-timestamp": String(r.headers["webhook-timestamp"]), "webhook-signature": String(r.headers["webhook-signature"]) };
        const verified = wh.verify(r.body, headers) as { type: WebhookEventType };
        return { ...r, id: headers["webhook-id"], verified };
      });
}

async function world(eventTypes: WebhookEventType[] = ["registration.created"], options: { settings?: Record<string, unknown> } = {}) {
  const { organization, owner } = await createOrganization();
  const actor: Actor = actorOf({ id: owner.id, isPlatformAdmin: false })!;
  const event = await createEvent(organization, { settings: { allowGuests: true, ...options.settings } as never });
  const type = await createTicketType(event, { quantity: 1000 });
  const path = `/hook/${randomUUID()}`;
  const { endpoint, secret } = await createEndpoint({ actor, organizationId: organization.id, input: { url: `${receiver.url}${path}`, eventTypes } });
  return { organization, owner, actor, event, type, endpoint, secret, path, inbox: inbox(path, secret) };
}

const eventsOf = (organizationId: string, type?: string) =>
  db.webhookEvent.findMany({ where: { organizationId, ...(type ? { type } : {}) }, include: { deliveries: true }, orderBy: { createdAt: "asc" } });

describe("the outbox (database triggers)", () => {
  test("a registration → one event with the documented payload, one delivery, one job; delivered signed", async () => {
    const w = await world();
    const sale = await register({ actor: null, eventId: w.event.id, ticketTypeId: w.type.id, firstName: "Анна", lastName: "Кузнецова", email: uniqueEmail("anna") });

    const events = await eventsOf(w.organization.id);
    expect(events).toHaveLength(1);
    const payload = WEBHOOK_PAYLOAD_SCHEMAS["registration.created"].parse(events[0].payload);
    const registration = await db.registration.findUniqueOrThrow({ where: { id: sale.registrationId } });
    expect(payload.data.registration).toMatchObject({
      id: registration.id,
      eventId: w.event.id,
      ticketTypeId: w.type.id,
      status: registration.status,
      confirmationCode: registration.confirmationCode,
      firstName: "Анна",
      lastName: "Кузнецова",
      email: registration.email,
      createdAt: registration.createdAt.toISOString(),
    });
    expect(events[0].deliveries).toHaveLength(1);
    expect(events[0].deliveries[0]).toMatchObject({ endpointId: w.endpoint.id, status: "PENDING", attempts: 0 });
    const jobs = await db.job.findMany({ where: { name: "deliver-webhook", payload: { path: ["deliveryId"], equals: events[0].deliveries[0].id } } });
    expect(jobs).toHaveLength(1);

    await runWebhookJobs();
    const got = w.inbox();
    expect(got).toHaveLength(1);
    expect(got[0].id).toBe(events[0].id);
    expect(got[0].headers["content-type"]).toBe("application/json");
    expect(JSON.parse(got[0].body)).toEqual(events[0].payload);
    expect(got[0].verified).toEqual(events[0].payload);
    const delivery = await db.webhookDelivery.findUniqueOrThrow({ where: { id: events[0].deliveries[0].id }, include: { attemptsLog: true } });
    expect(delivery).toMatchObject({ status: "SUCCEEDED", attempts: 1, lastStatusCode: 200 });
    expect(delivery.attemptsLog).toHaveLength(1);
    expect(delivery.attemptsLog[0]).toMatchObject({ attempt: 1, statusCode: 200, responseBody: "ok", error: null });

    // A job that runs again (at-least-once) sends nothing twice.
    expect(await deliverWebhook({ deliveryId: delivery.id })).toEqual({ status: "skipped", reason: "not_due" });
    expect(w.inbox()).toHaveLength(1);
  });

  test("the trigger's job row is the one enqueue() writes for the catalogue's deliver-webhook", async () => {
    const w = await world();
    await createRegistration(w.event, w.type);
    const [ev] = await eventsOf(w.organization.id);
    const deliveryId = ev.deliveries[0].id;
    const pick = (j: { name: string; eventName: string; payload: unknown; dedupeKey: string; maxAttempts: number; status: string }) => ({
      name: j.name, eventName: j.eventName, payload: j.payload, dedupeKey: j.dedupeKey, maxAttempts: j.maxAttempts, status: j.status,
    });
    const [fromTrigger] = await db.job.findMany({ where: { dedupeKey: { startsWith: `deliver-webhook:webhook-delivery:${deliveryId}` } } });
    await db.job.delete({ where: { id: fromTrigger.id } });
    const result = await enqueue(db, "webhooks/delivery-requested", { deliveryId }, { id: attemptJobId(deliveryId, 1) });
    expect(result.created).toBe(1);
    const [fromEnqueue] = await db.job.findMany({ where: { dedupeKey: { startsWith: `deliver-webhook:webhook-delivery:${deliveryId}` } } });
    expect(pick(fromTrigger)).toEqual(pick(fromEnqueue));
  });

  test("a rolled-back transaction leaves no event, delivery or job", async () => {
    const w = await world();
    const before = await db.job.count({ where: { name: "deliver-webhook" } });
    await expect(
      db.$transaction(async (tx) => {
        await tx.registration.create({
          data: { organizationId: w.organization.id, eventId: w.event.id, ticketTypeId: w.type.id, status: "CONFIRMED", confirmationCode: "RQBK2345", firstName: "Откат", email: uniqueEmail("rb") },
        });
        expect(await tx.webhookEvent.count({ where: { organizationId: w.organization.id } })).toBe(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.webhookEvent.count({ where: { organizationId: w.organization.id } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { endpointId: w.endpoint.id } })).toBe(0);
    expect(await db.job.count({ where: { name: "deliver-webhook" } })).toBe(before);
  });

  test("no subscribed enabled endpoint → nothing written (other types, switched-off endpoints, other organizations)", async () => {
    const w = await world(["registration.cancelled"]);
    await createRegistration(w.event, w.type);
    expect(await db.webhookEvent.count({ where: { organizationId: w.organization.id } })).toBe(0);
    await setEndpointEnabled({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id, enabled: false });
    const r = await createRegistration(w.event, w.type);
    await db.registration.update({ where: { id: r.id }, data: { status: "CANCELLED", cancelledAt: new Date() } });
    expect(await db.webhookEvent.count({ where: { organizationId: w.organization.id } })).toBe(0);
  });

  test("bulk event cancellation → one registration.cancelled per registration, and one event.cancelled", async () => {
    const w = await world(["registration.cancelled", "event.cancelled"]);
    const regs = [];
    for (let i = 0; i < 12; i++) regs.push(await createRegistration(w.event, w.type));
    await cancelEvent({ actor: w.actor, eventId: w.event.id, reason: "Площадка закрыта" });

    const cancelled = await eventsOf(w.organization.id, "registration.cancelled");
    expect(cancelled).toHaveLength(12);
    const ids = cancelled.map((e) => WEBHOOK_PAYLOAD_SCHEMAS["registration.cancelled"].parse(e.payload).data.registration.id).sort();
    expect(ids).toEqual(regs.map((r) => r.id).sort());
    for (const e of cancelled) expect(WEBHOOK_PAYLOAD_SCHEMAS["registration.cancelled"].parse(e.payload).data.registration.status).toBe("CANCELLED");
    const eventCancelled = await eventsOf(w.organization.id, "event.cancelled");
    expect(eventCancelled).toHaveLength(1);
    expect(WEBHOOK_PAYLOAD_SCHEMAS["event.cancelled"].parse(eventCancelled[0].payload).data.event).toMatchObject({ id: w.event.id, status: "CANCELLED", cancellationReason: "Площадка закрыта" });

    await runWebhookJobs();
    const got = w.inbox();
    expect(got).toHaveLength(13);
    expect(new Set(got.map((g) => g.id)).size).toBe(13);
  });

  test("every other type: payloads match their schemas (check-in, payment, refund, event update, waitlist offer)", async () => {
    const w = await world(["registration.checked_in", "payment.completed", "refund.completed", "event.updated", "waitlist.offered"]);
    const user = await createUser();
    const reg = await createRegistration(w.event, w.type, { user });
    await db.registration.update({ where: { id: reg.id }, data: { status: "CHECKED_IN" } });
    const checkIn = await createCheckIn(reg);

    const payment = await db.payment.create({
      data: { organizationId: w.organization.id, registrationId: reg.id, provider: "manual", status: "COMPLETED", amountCents: 150000, currency: "RUB", idempotencyKey: randomUUID(), completedAt: new Date() },
    });
    const refund = await db.refund.create({ data: { paymentId: payment.id, amountCents: 50000, origin: "organizer", reason: "Частичный возврат" } });
    await db.refund.update({ where: { id: refund.id }, data: { status: "COMPLETED", completedAt: new Date() } });

    await db.event.update({ where: { id: w.event.id }, data: { title: "Новое название", locationAddress: "Другой адрес" } });
    await db.event.update({ where: { id: w.event.id }, data: { remindersEnabled: false } }); // not a public field: nothing

    const waiter = await createUser();
    const entry = await db.waitlistEntry.create({ data: { eventId: w.event.id, userId: waiter.id, position: 1 } });
    await db.waitlistEntry.update({
      where: { id: entry.id },
      data: { status: "NOTIFIED", notifiedAt: new Date(), expiresAt: new Date(Date.now() + 3600_000), offeredTicketTypeId: w.type.id },
    });

    const all = await eventsOf(w.organization.id);
    const byType = <T extends WebhookEventType>(t: T): WebhookPayload<T>[] =>
      all.filter((e) => e.type === t).map((e) => WEBHOOK_PAYLOAD_SCHEMAS[t].parse(e.payload) as WebhookPayload<T>);
    const [ci] = byType("registration.checked_in");
    expect(ci.data).toMatchObject({ registration: { id: reg.id, status: "CHECKED_IN", email: user.email }, checkIn: { id: checkIn.id, method: "QR_SCAN" } });
    const [pay] = byType("payment.completed");
    expect(pay.data.payment).toMatchObject({ id: payment.id, eventId: w.event.id, amountCents: 150000, currency: "RUB", status: "COMPLETED", provider: "manual" });
    const [ref] = byType("refund.completed");
    expect(ref.data.refund).toMatchObject({ id: refund.id, paymentId: payment.id, registrationId: reg.id, eventId: w.event.id, amountCents: 50000, currency: "RUB", status: "COMPLETED" });
    const updated = byType("event.updated");
    expect(updated).toHaveLength(1);
    expect(updated[0].data.changed.sort()).toEqual(["locationAddress", "title"]);
    expect(updated[0].data.event).toMatchObject({ id: w.event.id, title: "Новое название", status: "PUBLISHED" });
    const [offer] = byType("waitlist.offered");
    expect(offer.data.waitlistEntry).toMatchObject({ id: entry.id, status: "NOTIFIED", offeredTicketTypeId: w.type.id, email: waiter.email, firstName: waiter.firstName });
    expect(all).toHaveLength(5);

    await runWebhookJobs();
    expect(w.inbox().map((g) => g.verified.type).sort()).toEqual(["event.updated", "payment.completed", "refund.completed", "registration.checked_in", "waitlist.offered"]);
  });

  test("200 parallel registrations → exactly 200 events and 200 deliveries, each received exactly once", async () => {
    const w = await world();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => register({ actor: null, eventId: w.event.id, ticketTypeId: w.type.id, firstName: `Гость ${i}`, email: uniqueEmail(`p${i}`) })),
    );
    expect(new Set(results.map((r) => r.registrationId)).size).toBe(200);
    const events = await eventsOf(w.organization.id);
    expect(events).toHaveLength(200);
    expect(events.flatMap((e) => e.deliveries)).toHaveLength(200);

    // Two runners at once, and the sweep in between: still one POST per event.
    await Promise.all([runWebhookJobs(), runWebhookJobs(), sweepWebhookDeliveries()]);
    await runWebhookJobs();
    const got = w.inbox();
    const counts = new Map<string, number>();
    for (const g of got) counts.set(g.id, (counts.get(g.id) ?? 0) + 1);
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(events.map((e) => e.id))).toEqual(new Set(counts.keys()));
    expect(await db.webhookDelivery.count({ where: { endpointId: w.endpoint.id, status: "SUCCEEDED", attempts: 1 } })).toBe(200);
  });
});

describe("delivery: retries, switching off, redelivery", () => {
  test("the receiver fails twice, then succeeds → 3 attempts logged, SUCCEEDED, failing_since cleared", async () => {
    const w = await world();
    await createRegistration(w.event, w.type);
    const [ev] = await eventsOf(w.organization.id);
    const deliveryId = ev.deliveries[0].id;

    receiver.answerNext(w.path, 500, 503);
    await runWebhookJobs();
    let d = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(d).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500 });
    // the retry is 5 s later, as a job at that time
    expect(d.nextAttemptAt!.getTime() - d.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(5_000);
    expect(await db.job.count({ where: { dedupeKey: `deliver-webhook:webhook-delivery:${deliveryId}:2`, status: "PENDING" } })).toBe(1);
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: w.endpoint.id } })).failingSince).not.toBeNull();

    await makeDue(deliveryId);
    await runWebhookJobs();
    d = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(d).toMatchObject({ status: "PENDING", attempts: 2, lastStatusCode: 503 });
    expect(d.nextAttemptAt!.getTime() - d.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(60_000);

    await makeDue(deliveryId);
    await runWebhookJobs();
    const detail = await getDelivery({ actor: w.actor, organizationId: w.organization.id, deliveryId });
    expect(detail).toMatchObject({ status: "SUCCEEDED", attempts: 3, lastStatusCode: 200, webhookId: ev.id });
    expect(detail.attemptsLog.map((a) => [a.attempt, a.statusCode, a.responseBody])).toEqual([
      [3, 200, "ok"],
      [2, 503, "answer 503"],
      [1, 500, "answer 500"],
    ]);
    expect(JSON.parse(detail.payload)).toEqual(ev.payload);
    const got = w.inbox();
    expect(got).toHaveLength(3);
    expect(new Set(got.map((g) => g.id))).toEqual(new Set([ev.id])); // the same webhook-id on every attempt
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: w.endpoint.id } })).failingSince).toBeNull();
  });

  test("failing for more than a day → switched off (FAILING), audited, pending deliveries FAILED, owner mailed", async () => {
    const w = await world();
    await createRegistration(w.event, w.type);
    await createRegistration(w.event, w.type);
    await db.webhookEndpoint.update({ where: { id: w.endpoint.id }, data: { failingSince: new Date(Date.now() - 25 * 3600_000) } });
    receiver.answerNext(w.path, 500, 500);
    await runWebhookJobs();

    const endpoint = await getEndpoint({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id });
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: "FAILING" });
    expect(await db.webhookDelivery.count({ where: { endpointId: w.endpoint.id, status: "FAILED" } })).toBe(2);
    expect(await db.auditLog.count({ where: { entityId: w.endpoint.id, action: "webhook_endpoint.disabled" } })).toBe(1);
    const mails = await db.mailOutbox.findMany({ where: { to: w.owner.email! } });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain("Вебхук выключен");
    expect(mails[0].text).toContain(`${receiver.url}${w.path}`);
    expect(mails[0].text).toContain("HTTP 500");
    expect(mails[0].text).toContain(`/developers/webhooks/${w.endpoint.id}`);
    expect(w.inbox().length).toBeLessThanOrEqual(2);

    // Switched off: new changes write nothing for it; redelivery is refused until it is switched on.
    await createRegistration(w.event, w.type);
    expect(await db.webhookDelivery.count({ where: { endpointId: w.endpoint.id } })).toBe(2);
    const [first] = await db.webhookDelivery.findMany({ where: { endpointId: w.endpoint.id } });
    await expect(redeliver({ actor: w.actor, organizationId: w.organization.id, deliveryId: first.id })).rejects.toMatchObject({ code: "CONFLICT" });

    // On again + redeliver → delivered now; the run of failures starts afresh.
    await setEndpointEnabled({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id, enabled: true });
    await redeliver({ actor: w.actor, organizationId: w.organization.id, deliveryId: first.id });
    await runWebhookJobs();
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "SUCCEEDED" });
    expect(await db.auditLog.count({ where: { entityId: first.id, action: "webhook_delivery.redelivered" } })).toBe(1);
    expect((await getEndpoint({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id })).failingSince).toBeNull();
  });

  test("a crash mid-attempt (claimed, no answer recorded, job gone): the sweep gives it a job again once its lease has run out", async () => {
    const w = await world();
    await createRegistration(w.event, w.type);
    const [ev] = await eventsOf(w.organization.id);
    const deliveryId = ev.deliveries[0].id;
    // what a worker that died after its claim leaves: attempts counted, the lease's time, its job finished
    await db.$executeRaw`UPDATE webhook_deliveries SET attempts = 1, last_attempt_at = now() - interval '3 minutes', next_attempt_at = now() - interval '2 minutes' WHERE id = ${deliveryId}::uuid`;
    await db.job.updateMany({ where: { payload: { path: ["deliveryId"], equals: deliveryId } }, data: { status: "SUCCEEDED" } });
    await runWebhookJobs();
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "PENDING", attempts: 1 }); // no job: stuck
    const first = await sweepWebhookDeliveries();
    expect(first.requeued).toBeGreaterThanOrEqual(1);
    expect((await sweepWebhookDeliveries()).requeued).toBe(0); // one job per due time
    await runWebhookJobs();
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(w.inbox()).toHaveLength(1);
  });

  test("a redirect is not followed: a failed attempt with the 3xx recorded", async () => {
    const w = await world();
    await createRegistration(w.event, w.type);
    const [ev] = await eventsOf(w.organization.id);
    receiver.answerNext(w.path, 302);
    await runWebhookJobs();
    const d = await getDelivery({ actor: w.actor, organizationId: w.organization.id, deliveryId: ev.deliveries[0].id });
    expect(d).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 302, lastError: "HTTP 302 (redirects are not followed)" });
    expect(w.inbox()).toHaveLength(1);
  });

  test("redeliver a delivered one: a new attempt with the same webhook-id; the log pages newest first and filters", async () => {
    const w = await world();
    for (let i = 0; i < 3; i++) await createRegistration(w.event, w.type);
    await runWebhookJobs();
    const page1 = await listDeliveries({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id, limit: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await listDeliveries({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id, limit: 2, cursor: page1.nextCursor });
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const all = [...page1.items, ...page2.items];
    expect(all.map((d) => d.createdAt.getTime())).toEqual([...all.map((d) => d.createdAt.getTime())].sort((a, b) => b - a));
    await expect(listDeliveries({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id, cursor: "bm9wZQ" })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { cursor: "webhooks.errors.cursorInvalid" },
    });

    const target = all[1];
    await redeliver({ actor: w.actor, organizationId: w.organization.id, deliveryId: target.id });
    await runWebhookJobs();
    const d = await getDelivery({ actor: w.actor, organizationId: w.organization.id, deliveryId: target.id });
    expect(d).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(w.inbox().filter((g) => g.id === target.webhookId)).toHaveLength(2);
    expect((await listDeliveries({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id, status: "FAILED" })).items).toHaveLength(0);
    expect((await listDeliveries({ actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id, status: "SUCCEEDED" })).items).toHaveLength(3);
  });
});

describe("the URL guard", () => {
  const refuse = ["http://127.0.0.1/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://localhost:8080/hook", "http://[::ffff:127.0.0.1]/", "http://0x7f.1/", "http://100.64.1.1/", "http://192.168.1.10/", "http://172.20.0.1/", "http://[fe80::1]/", "http://[fd00::1]/", "http://0.0.0.0/"];

  test.each(refuse)("refuses %s when saving (a field error on url, nothing saved)", async (url) => {
    const { organization, owner } = await createOrganization();
    const actor = actorOf({ id: owner.id, isPlatformAdmin: false });
    const error = await createEndpoint({ actor, organizationId: organization.id, input: { url, eventTypes: ["registration.created"] }, guard: { allowPrivate: false } }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "VALIDATION", fieldErrors: { url: "webhooks.errors.url.privateAddress" } });
    expect(await db.webhookEndpoint.count({ where: { organizationId: organization.id } })).toBe(0);
  });

  test("a name that resolves to a private address is refused; a public one passes; http in production is refused", async () => {
    const lookup = async (host: string) => (host === "rebind.example" ? [{ address: "93.184.216.34", family: 4 as const }, { address: "10.1.2.3", family: 4 as const }] : [{ address: "93.184.216.34", family: 4 as const }]);
    expect(await checkWebhookUrl("https://rebind.example/x", { allowPrivate: false, production: false, allowHttp: false, lookup })).toMatchObject({ ok: false, reason: "privateAddress", detail: "10.1.2.3" });
    expect(await checkWebhookUrl("https://hooks.example/x", { allowPrivate: false, production: true, allowHttp: false, lookup })).toMatchObject({ ok: true });
    expect(await checkWebhookUrl("http://hooks.example/x", { allowPrivate: false, production: true, allowHttp: false, lookup })).toMatchObject({ ok: false, reason: "httpsRequired" });
    expect(await checkWebhookUrl("http://hooks.example/x", { allowPrivate: false, production: true, allowHttp: true, lookup })).toMatchObject({ ok: true });
    expect(await checkWebhookUrl("ftp://hooks.example/x", { allowPrivate: false, production: false, allowHttp: false, lookup })).toMatchObject({ ok: false, reason: "scheme" });
    expect(await checkWebhookUrl("https://user:pw@hooks.example/x", { allowPrivate: false, production: false, allowHttp: false, lookup })).toMatchObject({ ok: false, reason: "credentials" });
  });

  test("checked again at every send: an endpoint whose address became private gets no request", async () => {
    const w = await world();
    await createRegistration(w.event, w.type);
    const [ev] = await eventsOf(w.organization.id);
    const outcome = await deliverWebhook({ deliveryId: ev.deliveries[0].id, guard: { allowPrivate: false } });
    expect(outcome).toMatchObject({ status: "retrying", attempt: 1, statusCode: null });
    const d = await getDelivery({ actor: w.actor, organizationId: w.organization.id, deliveryId: ev.deliveries[0].id });
    expect(d.attemptsLog[0].error).toMatch(/URL refused: privateAddress/);
    expect(w.inbox()).toHaveLength(0);
  });
});

describe("services: validation, limits, permissions, tenant isolation", () => {
  test("bad input → field errors and nothing saved; at most WEBHOOK_MAX_ENDPOINTS; the secret is stored encrypted", async () => {
    const { organization, owner } = await createOrganization();
    const actor = actorOf({ id: owner.id, isPlatformAdmin: false });
    await expect(createEndpoint({ actor, organizationId: organization.id, input: { url: "not a url", eventTypes: [] } })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { url: "webhooks.validation.urlScheme", eventTypes: "webhooks.validation.eventTypesRequired" },
    });
    await expect(createEndpoint({ actor, organizationId: organization.id, input: { url: `${receiver.url}/x`, eventTypes: ["nope" as never] } })).rejects.toMatchObject({ code: "VALIDATION" });
    const created = await Promise.all(
      Array.from({ length: WEBHOOK_MAX_ENDPOINTS + 3 }, (_, i) =>
        createEndpoint({ actor, organizationId: organization.id, input: { url: `${receiver.url}/n${i}`, eventTypes: ["registration.created"] } }).then(
          (r) => r,
          (e: AppError) => e,
        ),
      ),
    );
    expect(created.filter((c) => c instanceof AppError && c.message === "webhooks.errors.tooManyEndpoints")).toHaveLength(3);
    expect(await db.webhookEndpoint.count({ where: { organizationId: organization.id } })).toBe(WEBHOOK_MAX_ENDPOINTS);
    const ok = created.find((c) => !(c instanceof AppError)) as { secret: string; endpoint: { id: string } };
    expect(ok.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const row = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: ok.endpoint.id } });
    expect(row.secretCiphertext).not.toContain(ok.secret.slice(6));
    expect(await db.auditLog.count({ where: { organizationId: organization.id, action: "webhook_endpoint.created" } })).toBe(WEBHOOK_MAX_ENDPOINTS);
  });

  test("update, rotate, disable, delete: audited; a rotated secret signs the next delivery", async () => {
    const w = await world();
    const o = { actor: w.actor, organizationId: w.organization.id, endpointId: w.endpoint.id };
    const updated = await updateEndpoint({ ...o, input: { url: `${receiver.url}${w.path}`, description: "CRM", eventTypes: ["registration.created", "registration.cancelled"] } });
    expect(updated).toMatchObject({ description: "CRM", eventTypes: ["registration.created", "registration.cancelled"] });
    const { secret } = await rotateSecret(o);
    expect(secret).not.toBe(w.secret);
    await createRegistration(w.event, w.type);
    await runWebhookJobs();
    const got = receiver.received.filter((r) => r.path === w.path);
    expect(got).toHaveLength(1);
    const headers = { "webhook-id": String(got[0].headers["webhook-id"]), "webhook-timestamp": String(got[0].headers["webhook-timestamp"]), "webhook-signature": String(got[0].headers["webhook-signature"]) };
    expect(() => new Webhook(secret).verify(got[0].body, headers)).not.toThrow();
    expect(() => new Webhook(w.secret).verify(got[0].body, headers)).toThrow();
    await setEndpointEnabled({ ...o, enabled: false });
    expect(await getEndpoint(o)).toMatchObject({ enabled: false, disabledReason: "MANUAL" });
    await deleteEndpoint(o);
    expect(await listEndpoints({ actor: w.actor, organizationId: w.organization.id })).toEqual([]);
    const actions = (await db.auditLog.findMany({ where: { entityId: w.endpoint.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["webhook_endpoint.created", "webhook_endpoint.updated", "webhook_endpoint.secret_rotated", "webhook_endpoint.disabled", "webhook_endpoint.deleted"]);
  });

  test("another organization's owner: not found for everything of A; a moderator of A sees but cannot change", async () => {
    const a = await world();
    await createRegistration(a.event, a.type);
    await runWebhookJobs();
    const [delivery] = await db.webhookDelivery.findMany({ where: { endpointId: a.endpoint.id } });
    const b = await createOrganization();
    const bActor = actorOf({ id: b.owner.id, isPlatformAdmin: false });
    const asB = { actor: bActor, organizationId: b.organization.id };
    const notFound = { code: "NOT_FOUND" };
    // B's own organization id with A's ids
    await expect(getEndpoint({ ...asB, endpointId: a.endpoint.id })).rejects.toMatchObject(notFound);
    await expect(listDeliveries({ ...asB, endpointId: a.endpoint.id })).rejects.toMatchObject(notFound);
    await expect(getDelivery({ ...asB, deliveryId: delivery.id })).rejects.toMatchObject(notFound);
    await expect(redeliver({ ...asB, deliveryId: delivery.id })).rejects.toMatchObject(notFound);
    await expect(updateEndpoint({ ...asB, endpointId: a.endpoint.id, input: { url: "https://evil.example/", eventTypes: ["registration.created"] } })).rejects.toMatchObject(notFound);
    await expect(rotateSecret({ ...asB, endpointId: a.endpoint.id })).rejects.toMatchObject(notFound);
    await expect(setEndpointEnabled({ ...asB, endpointId: a.endpoint.id, enabled: false })).rejects.toMatchObject(notFound);
    await expect(deleteEndpoint({ ...asB, endpointId: a.endpoint.id })).rejects.toMatchObject(notFound);
    expect(await listEndpoints(asB)).toEqual([]);
    // A's organization id as B
    await expect(listEndpoints({ actor: bActor, organizationId: a.organization.id })).rejects.toMatchObject(notFound);
    await expect(getDelivery({ actor: bActor, organizationId: a.organization.id, deliveryId: delivery.id })).rejects.toMatchObject(notFound);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: a.endpoint.id } })).toMatchObject({ enabled: true, url: `${receiver.url}${a.path}` });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ attempts: 1 });

    const moderator = await createUser();
    await addMember(a.organization, moderator);
    const asMod = { actor: actorOf({ id: moderator.id, isPlatformAdmin: false }), organizationId: a.organization.id };
    expect(await listEndpoints(asMod)).toHaveLength(1);
    expect((await listDeliveries({ ...asMod, endpointId: a.endpoint.id })).items).toHaveLength(1);
    await expect(redeliver({ ...asMod, deliveryId: delivery.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createEndpoint({ ...asMod, input: { url: `${receiver.url}/m`, eventTypes: ["registration.created"] } })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
