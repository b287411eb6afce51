// The guest's ticket email is written in the sale's transaction (the sale statement inserts its job with
// the registration) and delivered by the job system after the commit: exactly one job per committed guest
// sale — on the hot path (pg) and on the full path (Prisma) — none for a sale that rolled back, none
// again for an idempotent replay; the job renders the mail from the registration and writes it to the
// outbox once, even when it runs again.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import type { Event, TicketType } from "@/lib/generated/prisma/client";
import { sendGuestTicketJob } from "@/lib/worker/functions/registrations";
import { createRegistry } from "@/lib/jobs/registry";
import { Runner } from "@/lib/jobs/runner";
import { mailIdOf } from "@/lib/mail";
import { actorOf } from "@/lib/permissions";
import { cancelGuestRegistration } from "@/lib/registrations/cancel";
import { deliverGuestTicketMail } from "@/lib/registrations/guest-ticket-mail";
import { register } from "@/lib/registrations/register";
import { connectPayments, createEvent, createOrganization, createRegistration, createTicketType, createUser, uniqueEmail } from "@/tests/helpers/factories";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** Runs the due guest-ticket jobs once, through the job runner (as the server's runner would). */
async function runGuestTicketJobs(): Promise<number> {
  const runner = new Runner({ registry: createRegistry([sendGuestTicketJob]), pollMs: 20, concurrency: 8, lockMs: 10_000, backoffBaseMs: 50, backoffJitter: 0, crons: false, logger: quiet });
  return runner.runOnce();
}

const jobsOf = (registrationId: string) => db.job.findMany({ where: { dedupeKey: `send-guest-ticket:guest-ticket:${registrationId}` } });
const guestJobCount = () => db.job.count({ where: { name: "send-guest-ticket" } });

/**
 * An event open to guests with a paid type held 30 minutes: a guest's sale is a RESERVATION, whose email
 * (this job) carries the private link and the time to pay by. A FREE guest sale sends the ticket itself
 * as a `registration.confirmed` notice by email instead (lib/registrations/register.ts; tests/integration/reach.test.ts).
 */
async function world(quantity = 10, typeOverrides: Partial<TicketType> = {}): Promise<{ event: Event; type: TicketType }> {
  const { organization } = await createOrganization();
  await connectPayments(organization);
  const event = await createEvent(organization, { title: "Открытая лекция", settings: { allowGuests: true } as never });
  const type = await createTicketType(event, { quantity, name: "Вход", priceCents: 1_500_00, reservationMinutes: 30, ...typeOverrides } as never);
  return { event, type };
}

const guest = (w: { event: Event; type: TicketType }, email = uniqueEmail("guest"), extra: Partial<Parameters<typeof register>[0]> = {}) =>
  register({ actor: null, eventId: w.event.id, ticketTypeId: w.type.id, firstName: "Гость", email, ...extra });

describe("guest ticket email", () => {
  test("a guest sale commits exactly one queued job with the registration; delivery writes the mail with the ticket link", async () => {
    const w = await world();
    const email = uniqueEmail("guest");
    const result = await guest(w, email, { locale: "en" });

    // Committed: another connection sees the registration and its job, and no mail yet (it is rendered by the job).
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    other.on("error", () => undefined);
    await other.connect();
    try {
      const { rows } = await other.query(
        `SELECT j.name, j.event_name, j.payload, j.status FROM jobs j JOIN registrations r ON r.id = ($1)::uuid
          WHERE j.dedupe_key = 'send-guest-ticket:guest-ticket:' || r.id`,
        [result.registrationId],
      );
      expect(rows).toEqual([
        { name: "send-guest-ticket", event_name: "registration/guest-ticket-requested", payload: { registrationId: result.registrationId, locale: "en" }, status: "PENDING" },
      ]);
    } finally {
      await other.end();
    }
    expect(await db.mailOutbox.count({ where: { to: email } })).toBe(0);

    expect(await runGuestTicketJobs()).toBeGreaterThanOrEqual(1);
    const [job] = await jobsOf(result.registrationId);
    expect(job.status).toBe("SUCCEEDED");
    const mails = await db.mailOutbox.findMany({ where: { to: email } });
    expect(mails).toHaveLength(1);
    expect(mails[0].id).toBe(mailIdOf(`guest-ticket:${result.registrationId}`));
    expect(mails[0].subject).toContain("Открытая лекция");
    expect(mails[0].text).toContain(`/t/${result.guestToken}`);
    expect(mails[0].text).toMatch(/Your ticket/i);
    // A reservation: the mail says until when to pay.
    expect(result.status).toBe("RESERVED");
    expect(mails[0].html).toContain(`/t/${result.guestToken}`);

    // The job running again (at-least-once) writes no second mail.
    expect(await deliverGuestTicketMail({ registrationId: result.registrationId, locale: "en" })).toMatchObject({ status: "queued", created: false });
    expect(await db.mailOutbox.count({ where: { to: email } })).toBe(1);
  });

  test("a replayed Idempotency-Key runs no sale: still one job, one mail", async () => {
    const w = await world();
    const email = uniqueEmail("guest");
    const key = randomUUID();
    const first = await guest(w, email, { idempotencyKey: key });
    const [a, b] = await Promise.all([guest(w, email, { idempotencyKey: key }), guest(w, email, { idempotencyKey: key })]);
    expect([a.replayed, b.replayed]).toEqual([true, true]);
    expect(a.registrationId).toBe(first.registrationId);
    expect(await jobsOf(first.registrationId)).toHaveLength(1);
    await runGuestTicketJobs();
    expect(await db.mailOutbox.count({ where: { to: email } })).toBe(1);
  });

  test("the full path (expired reservations to hand on) queues the same job in its transaction", async () => {
    const w = await world(1);
    const holder = await createUser();
    // A reservation past its end holds the only seat until this sale frees it: the sale takes the full path.
    const lapsed = await createRegistration(w.event, w.type, { user: holder, status: "RESERVED", expiresAt: new Date(Date.now() - 60_000) });
    const result = await guest(w, uniqueEmail("guest"), { locale: "ru" });
    expect(await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } })).toMatchObject({ status: "RESERVED" });
    expect(await db.registration.findUniqueOrThrow({ where: { id: lapsed.id } })).toMatchObject({ status: "EXPIRED" });
    // The holder's "reservation expired" notice: only the full path writes it.
    expect(await db.notificationLog.count({ where: { dedupeKey: `reservation.expired:${lapsed.id}` } })).toBe(1);
    const jobs = await jobsOf(result.registrationId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].payload).toEqual({ registrationId: result.registrationId, locale: "ru" });
  });

  test("a sale that rolls back leaves no job: sold out (in the statement, under a race) and already registered", async () => {
    const w = await world(1);
    const before = await guestJobCount();
    const emails = Array.from({ length: 6 }, () => uniqueEmail("race"));
    const results = await Promise.allSettled(emails.map((email) => guest(w, email)));
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof register>>> => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ message: "errors.soldOut" });
    expect(await guestJobCount()).toBe(before + 1);
    expect(await jobsOf(won[0].value.registrationId)).toHaveLength(1);

    // The same guest email again on an event with seats: the unique index fails the sale statement.
    const open = await world(5);
    const email = uniqueEmail("twice");
    await guest(open, email);
    const after = await guestJobCount();
    await expect(guest(open, email)).rejects.toMatchObject({ message: "errors.alreadyRegistered" });
    expect(await guestJobCount()).toBe(after);
    await runGuestTicketJobs();
    expect(await db.mailOutbox.count({ where: { to: { in: emails } } })).toBe(1);
    expect(await db.mailOutbox.count({ where: { to: email } })).toBe(1);
  });

  test("free sales send the ticket notice, not this email (signed-in buyer and guest); a guest cancelled before delivery gets none", async () => {
    const w = await world();
    const free = await world(10, { priceCents: 0, reservationMinutes: null });
    const user = await createUser();
    const sale = await register({ actor: actorOf(user), eventId: free.event.id, ticketTypeId: free.type.id });
    expect(await jobsOf(sale.registrationId)).toHaveLength(0);
    const notice = await db.notificationLog.findFirstOrThrow({ where: { dedupeKey: `registration.confirmed:${sale.registrationId}` } });
    expect(await db.job.count({ where: { dedupeKey: `deliver-notification:notification:${notice.id}` } })).toBe(1);
    const freeGuest = await guest(free, uniqueEmail("free"), { locale: "en" });
    expect(await jobsOf(freeGuest.registrationId)).toHaveLength(0);
    expect(await db.notificationLog.findFirstOrThrow({ where: { dedupeKey: `registration.confirmed:${freeGuest.registrationId}` } })).toMatchObject({
      channel: "EMAIL",
      userId: null,
      locale: "EN",
    });

    const email = uniqueEmail("gone");
    const g = await guest(w, email);
    await cancelGuestRegistration({ guestToken: g.guestToken! });
    await runGuestTicketJobs();
    expect((await jobsOf(g.registrationId))[0].status).toBe("SUCCEEDED");
    expect(await db.mailOutbox.count({ where: { to: email } })).toBe(0);
    expect(await deliverGuestTicketMail({ registrationId: g.registrationId, locale: "ru" })).toEqual({ status: "skipped", reason: "inactive" });
    expect(await deliverGuestTicketMail({ registrationId: randomUUID(), locale: "ru" })).toEqual({ status: "skipped", reason: "gone" });
  });
});
