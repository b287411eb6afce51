// Events against a real, fresh PostgreSQL database: creating (slug transliteration, collisions,
// explicit slugs), editing (audit diff; event.changed only for date/time/place, once per edit),
// publishing rules, cancelling (every active registration cancelled, seats back, participants told,
// refunds recorded), completing (by hand and by the cron), reminders (once), soft deletion, lists,
// and races (parallel cancels, publish against cancel). The permission matrix is in
// permissions-events.test.ts, ticket types in ticket-types.test.ts.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import { createEvent, getEventForManage, listEvents, softDeleteEvent, updateEvent } from "@/lib/events/events";
import {
  cancelEvent,
  completeEvent,
  completeFinishedEvents,
  publishEvent,
  reminderDedupeKey,
  sendEventReminders,
  unpublishEvent,
} from "@/lib/events/lifecycle";
import { toLocalDateTimeString } from "@/lib/events/time";
import type { Event, Organization, User } from "@/lib/generated/prisma/client";
import { createLocalStep } from "@/lib/jobs/define";
import { appJobs } from "@/lib/worker";
import { eventJobs } from "@/lib/worker/functions/events";
import { actorOf, type Actor } from "@/lib/permissions";
import {
  addMember,
  connectPayments,
  createEvent as createEventRow,
  createGroup,
  createOrganization,
  createRegistration,
  createTicketType,
  createUser,
  uniqueTelegramId,
} from "@/tests/helpers/factories";

// ───────────────────────────── helpers ─────────────────────────────

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const as = (user: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(user)!;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(code);
  if (message) expect(appError.message).toBe(message);
  return appError;
}

function settledCodes(results: PromiseSettledResult<unknown>[]) {
  const codes: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === "fulfilled" ? "ok" : r.reason instanceof AppError ? `${r.reason.code}:${r.reason.message}` : `other:${String(r.reason)}`;
    codes[key] = (codes[key] ?? 0) + 1;
  }
  return codes;
}

/** A local date-time string in Moscow `ms` from now (minute precision). */
const moscow = (msFromNow: number) => toLocalDateTimeString(new Date(Math.floor((Date.now() + msFromNow) / 60_000) * 60_000), "Europe/Moscow");

const input = (over: Record<string, unknown> = {}) => ({
  title: "Летняя встреча",
  startsAt: moscow(10 * DAY),
  endsAt: moscow(10 * DAY + 3 * HOUR),
  locationType: "OFFLINE" as const,
  locationAddress: "Москва, Тверская, 1",
  ...over,
});

async function organization() {
  const { organization, owner } = await createOrganization();
  return { organization, owner, actor: as(owner) };
}

const auditOf = (entityId: string, action?: string) =>
  db.auditLog.findMany({ where: { entityId, ...(action ? { action } : {}) }, orderBy: { createdAt: "asc" } });

const notificationsOf = (templateCode: string, where: { userId?: string; dedupePrefix?: string } = {}) =>
  db.notificationLog.findMany({
    where: { templateCode, ...(where.userId ? { userId: where.userId } : {}), ...(where.dedupePrefix ? { dedupeKey: { startsWith: where.dedupePrefix } } : {}) },
    orderBy: { createdAt: "asc" },
  });

/** Counters equal the rows: sold = CONFIRMED + CHECKED_IN, reserved = RESERVED + PENDING. */
async function expectCountersMatchRows(ticketTypeId: string) {
  const type = await db.ticketType.findUniqueOrThrow({ where: { id: ticketTypeId } });
  const sold = await db.registration.count({ where: { ticketTypeId, status: { in: ["CONFIRMED", "CHECKED_IN"] } } });
  const reserved = await db.registration.count({ where: { ticketTypeId, status: { in: ["RESERVED", "PENDING"] } } });
  expect({ sold: type.soldCount, reserved: type.reservedCount }).toEqual({ sold, reserved });
  return type;
}

/** A published event a week ahead with a free type and participants of every kind. */
async function eventWithParticipants(org: Pick<Organization, "id" | "ownerId">, overrides: Partial<Parameters<typeof createEventRow>[1]> = {}) {
  const event = await createEventRow(org, overrides);
  const free = await createTicketType(event, { quantity: 50 });
  const paid = await createTicketType(event, { name: "Платный", priceCents: 150_000, quantity: 20, reservationMinutes: 30 });
  const users = {
    confirmed: await createUser({ firstName: "Анна" }),
    confirmedEn: await createUser({ firstName: "Bob", locale: "EN" }),
    reserved: await createUser({ firstName: "Вера" }),
    pending: await createUser({ firstName: "Глеб" }),
    paidConfirmed: await createUser({ firstName: "Дина" }),
    checkedIn: await createUser({ firstName: "Егор" }),
    cancelled: await createUser({ firstName: "Жанна" }),
    expired: await createUser({ firstName: "Зоя" }),
    telegramOnly: await createUser({ firstName: "Ира", email: null, telegramId: uniqueTelegramId() }),
  };
  const r = {
    confirmed: await createRegistration(event, free, { user: users.confirmed }),
    confirmedEn: await createRegistration(event, free, { user: users.confirmedEn }),
    telegramOnly: await createRegistration(event, free, { user: users.telegramOnly }),
    guest: await createRegistration(event, free, { user: null }),
    reserved: await createRegistration(event, paid, { user: users.reserved, status: "RESERVED" }),
    pending: await createRegistration(event, paid, { user: users.pending, status: "PENDING" }),
    paidConfirmed: await createRegistration(event, paid, { user: users.paidConfirmed }),
    checkedIn: await createRegistration(event, free, { user: users.checkedIn, status: "CHECKED_IN" }),
    cancelled: await createRegistration(event, free, { user: users.cancelled, status: "CANCELLED" }),
    expired: await createRegistration(event, paid, { user: users.expired, status: "EXPIRED" }),
  };
  return { event, free, paid, users, r };
}

// ───────────────────────────── create ─────────────────────────────

describe("createEvent", () => {
  test("a DRAFT with the slug transliterated from the title, times in the event's zone, an audit row", async () => {
    const { organization: org, owner, actor } = await organization();
    const created = await createEvent({ actor, organizationId: org.id, input: input({ startsAt: "2031-06-01T19:00", endsAt: "2031-06-01T22:00" }) });
    expect(created.slug).toBe("letnyaya-vstrecha");
    const event = await db.event.findUniqueOrThrow({ where: { id: created.id } });
    expect(event).toMatchObject({
      status: "DRAFT",
      organizationId: org.id,
      organizerId: owner.id,
      title: "Летняя встреча",
      timezone: "Europe/Moscow",
      startsAt: new Date("2031-06-01T16:00:00Z"),
      endsAt: new Date("2031-06-01T19:00:00Z"),
      locationType: "OFFLINE",
      locationAddress: "Москва, Тверская, 1",
      locationUrl: null,
      publishedAt: null,
    });
    expect(event.settings).toEqual({ registrationFields: [], allowGuests: false, waitlistOfferMinutes: 1440, cancelUnpaidPrepayments: false, refundPolicy: { untilHoursBeforeStart: 0, percent: 100 } });

    const [audit] = await auditOf(created.id);
    expect(audit).toMatchObject({ organizationId: org.id, actorId: owner.id, entityType: "event", action: "event.created" });
    expect(audit.changes).toMatchObject({
      status: { from: null, to: "DRAFT" },
      title: { from: null, to: "Летняя встреча" },
      slug: { from: null, to: "letnyaya-vstrecha" },
      startsAt: { from: null, to: "2031-06-01T16:00:00.000Z" },
    });
    expect(Object.keys(audit.changes as object)).not.toContain("description"); // null → not a change
  });

  test("a taken slug gets -2, -3…; another organization and a deleted event do not count", async () => {
    const { organization: org, actor } = await organization();
    const slugs = [];
    for (let i = 0; i < 3; i++) slugs.push((await createEvent({ actor, organizationId: org.id, input: input() })).slug);
    expect(slugs).toEqual(["letnyaya-vstrecha", "letnyaya-vstrecha-2", "letnyaya-vstrecha-3"]);

    const other = await organization();
    expect((await createEvent({ actor: other.actor, organizationId: other.organization.id, input: input() })).slug).toBe("letnyaya-vstrecha");

    // Soft-deleting the -2 draft frees its slug.
    const second = await db.event.findFirstOrThrow({ where: { organizationId: org.id, slug: "letnyaya-vstrecha-2" } });
    await softDeleteEvent({ actor, eventId: second.id });
    expect((await createEvent({ actor, organizationId: org.id, input: input() })).slug).toBe("letnyaya-vstrecha-2");
  });

  test("parallel creates with the same title all succeed with distinct slugs (the unique index decides)", async () => {
    const { organization: org, actor } = await organization();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => createEvent({ actor, organizationId: org.id, input: input({ title: "Митап" }) })));
    expect(settledCodes(results)).toEqual({ ok: 8 });
    const slugs = results.map((r) => (r as PromiseFulfilledResult<{ slug: string }>).value.slug);
    expect(new Set(slugs).size).toBe(8);
    expect(slugs).toContain("mitap");
    for (const slug of slugs) expect(slug).toMatch(/^mitap(-[a-z0-9]+)?$/);
  });

  test("an explicit slug is used as given; a taken one is a field error on `slug`", async () => {
    const { organization: org, actor } = await organization();
    expect((await createEvent({ actor, organizationId: org.id, input: input({ slug: "Summer-2031" }) })).slug).toBe("summer-2031");
    const error = await expectAppError(createEvent({ actor, organizationId: org.id, input: input({ slug: "summer-2031" }) }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ slug: "events.validation.slugTaken" });
    expect(await db.event.count({ where: { organizationId: org.id } })).toBe(1);
  });

  test("a title with nothing Latin-able gets 'event'", async () => {
    const { organization: org, actor } = await organization();
    expect((await createEvent({ actor, organizationId: org.id, input: input({ title: "🎉🎉🎉" }) })).slug).toBe("event");
  });

  test("groupId must be a group of the same organization; a moderator may create", async () => {
    const { organization: org, actor } = await organization();
    const other = await organization();
    const foreignGroup = await createGroup(other.organization);
    const error = await expectAppError(createEvent({ actor, organizationId: org.id, input: input({ groupId: foreignGroup.id }) }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ groupId: "events.validation.groupNotFound" });

    const moderator = await createUser();
    await addMember(org, moderator);
    const group = await createGroup(org);
    const created = await createEvent({ actor: as(moderator), organizationId: org.id, input: input({ groupId: group.id }) });
    expect(await db.event.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ groupId: group.id, organizerId: moderator.id });
  });

  test("invalid input: field errors, nothing written", async () => {
    const { organization: org, actor } = await organization();
    const error = await expectAppError(
      createEvent({ actor, organizationId: org.id, input: input({ title: "", locationType: "ONLINE", locationUrl: "ftp://x", endsAt: moscow(DAY) }) }),
      "VALIDATION",
    );
    expect(error.fieldErrors).toMatchObject({
      title: "events.validation.titleRequired",
      locationUrl: "events.validation.urlInvalid",
      endsAt: "events.validation.endsBeforeStart",
    });
    expect(await db.event.count({ where: { organizationId: org.id } })).toBe(0);
  });
});

// ───────────────────────────── update ─────────────────────────────

describe("updateEvent", () => {
  test("the audit row carries only the fields that changed; a no-op edit writes nothing", async () => {
    const { organization: org, owner, actor } = await organization();
    const { id } = await createEvent({ actor, organizationId: org.id, input: input() });
    const result = await updateEvent({ actor, eventId: id, input: { title: "Осенняя встреча", description: "Чай и пироги" } });
    expect(result).toMatchObject({ changed: ["title", "description"], notified: 0, slug: "letnyaya-vstrecha" });
    const updates = await auditOf(id, "event.updated");
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ actorId: owner.id, entityType: "event" });
    expect(updates[0].changes).toEqual({
      title: { from: "Летняя встреча", to: "Осенняя встреча" },
      description: { from: null, to: "Чай и пироги" },
    });

    // The form sends everything back unchanged: no change, no audit row.
    const manage = await getEventForManage({ actor, eventId: id });
    expect(await updateEvent({ actor, eventId: id, input: manage.formValues })).toMatchObject({ changed: [] });
    expect(await updateEvent({ actor, eventId: id, input: {} })).toMatchObject({ changed: [] });
    expect(await auditOf(id, "event.updated")).toHaveLength(1);
  });

  test("an event with seconds in its start survives a form round trip unchanged", async () => {
    const { organization: org, actor } = await organization();
    const event = await createEventRow(org, { startsAt: new Date(Date.now() + 3 * DAY + 12_345), endsAt: null });
    const manage = await getEventForManage({ actor, eventId: event.id });
    expect(await updateEvent({ actor, eventId: event.id, input: manage.formValues })).toMatchObject({ changed: [] });
    expect(await updateEvent({ actor, eventId: event.id, input: { title: "Новое" } })).toMatchObject({ changed: ["title"] });
    expect((await db.event.findUniqueOrThrow({ where: { id: event.id } })).startsAt).toEqual(event.startsAt);
  });

  test("event.changed: only for date, time or place; once per edit; to participants with an active registration (a guest by email)", async () => {
    const { organization: org, actor } = await organization();
    const { event, users, r } = await eventWithParticipants(org);
    const prefix = `event.changed:${event.id}:`;

    // Title, description, visibility, settings: no message.
    await updateEvent({ actor, eventId: event.id, input: { title: "Переименовано", description: "Новое описание", participantsVisibility: "OPEN", settings: { allowGuests: true } } });
    expect(await notificationsOf("event.changed", { dedupePrefix: prefix })).toHaveLength(0);

    // Date and place in one edit: one message per participant.
    const newStart = "2031-07-01T18:30";
    const edit = await updateEvent({ actor, eventId: event.id, input: { startsAt: newStart, endsAt: "2031-07-01T21:00", locationAddress: "Москва, Арбат, 10" } });
    expect(edit.changed.sort()).toEqual(["endsAt", "locationAddress", "startsAt"]);
    const recipients = [users.confirmed, users.confirmedEn, users.telegramOnly, users.reserved, users.pending, users.paidConfirmed].map((u) => u.id).sort();
    let sent = await notificationsOf("event.changed", { dedupePrefix: prefix });
    expect(sent.filter((n) => n.userId).map((n) => n.userId).sort()).toEqual(recipients);
    // The guest (no account) is told by email, in the registration's language.
    expect(sent.filter((n) => !n.userId).map((n) => [n.registrationId, n.channel, n.email])).toEqual([[r.guest.id, "EMAIL", r.guest.email]]);
    expect(edit.notified).toBe(recipients.length + 1);
    const toAnna = sent.find((n) => n.userId === users.confirmed.id)!;
    expect(toAnna.variables).toMatchObject({
      firstName: "Анна",
      eventTitle: "Переименовано",
      eventDate: { $date: "2031-07-01T15:30:00.000Z", timeZone: "Europe/Moscow" },
      eventLocation: "Москва, Арбат, 10",
      changeSummary: "дата и время, место проведения",
      eventUrl: expect.stringMatching(new RegExp(`/e/${org.slug}/${event.slug}$`)),
    });
    expect(sent.find((n) => n.userId === users.confirmedEn.id)!.variables).toMatchObject({ changeSummary: "date and time, venue" });
    // Not told: the checked-in, cancelled and expired registrations.
    for (const u of [users.checkedIn, users.cancelled, users.expired]) expect(sent.some((n) => n.userId === u.id)).toBe(false);
    expect(r.guest.userId).toBeNull();

    // The same values again: nothing changed, nothing sent.
    await updateEvent({ actor, eventId: event.id, input: { startsAt: newStart, endsAt: "2031-07-01T21:00" } });
    expect(await notificationsOf("event.changed", { dedupePrefix: prefix })).toHaveLength(recipients.length + 1);

    // A second edit (place only) is a second message to each.
    const second = await updateEvent({ actor, eventId: event.id, input: { locationType: "ONLINE", locationUrl: "https://meet.example.com/x" } });
    expect(second.changed.sort()).toEqual(["locationAddress", "locationType", "locationUrl"]);
    sent = await notificationsOf("event.changed", { dedupePrefix: prefix });
    expect(sent).toHaveLength(2 * (recipients.length + 1));
    expect(sent.filter((n) => n.userId === users.confirmed.id).map((n) => (n.variables as { changeSummary: string }).changeSummary)).toEqual([
      "дата и время, место проведения",
      "место проведения",
    ]);
    expect(sent.filter((n) => n.userId === users.confirmed.id)[1].variables).toMatchObject({ eventLocation: "Онлайн" });
    // Each message has its own dedupe key (per edit, per registration).
    expect(new Set(sent.map((n) => n.dedupeKey)).size).toBe(sent.length);
  });

  test("a time zone change keeps the wall-clock times, moves the instants and notifies", async () => {
    const { organization: org, actor } = await organization();
    const { id } = await createEvent({ actor, organizationId: org.id, input: input({ startsAt: "2031-06-01T19:00", endsAt: "" }) });
    await publishEventWithType(actor, id);
    const user = await createUser();
    const type = await db.ticketType.findFirstOrThrow({ where: { eventId: id } });
    await createRegistration({ id, organizationId: org.id }, type, { user });
    const result = await updateEvent({ actor, eventId: id, input: { timezone: "Asia/Yekaterinburg" } });
    expect(result.changed.sort()).toEqual(["startsAt", "timezone"]);
    expect((await db.event.findUniqueOrThrow({ where: { id } })).startsAt.toISOString()).toBe("2031-06-01T14:00:00.000Z");
    expect(await notificationsOf("event.changed", { userId: user.id })).toHaveLength(1);
  });

  test("a published event cannot move into the past; cancelled / completed events cannot be edited", async () => {
    const { organization: org, actor } = await organization();
    const published = await createEventRow(org);
    const error = await expectAppError(updateEvent({ actor, eventId: published.id, input: { startsAt: moscow(-HOUR), endsAt: "" } }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ startsAt: "events.validation.startsInPast" });
    // A draft may hold a past date (publishing then refuses it).
    const draft = await createEventRow(org, { status: "DRAFT" });
    await updateEvent({ actor, eventId: draft.id, input: { startsAt: moscow(-HOUR), endsAt: "" } });

    for (const status of ["CANCELLED", "COMPLETED"] as const) {
      const closed = await createEventRow(org, { status });
      await expectAppError(updateEvent({ actor, eventId: closed.id, input: { title: "x" } }), "CONFLICT", "events.errors.notEditable");
    }
  });

  test("renaming the slug: a taken one is a field error; a free one is used", async () => {
    const { organization: org, actor } = await organization();
    const a = await createEvent({ actor, organizationId: org.id, input: input({ title: "Первое" }) });
    const b = await createEvent({ actor, organizationId: org.id, input: input({ title: "Второе" }) });
    const error = await expectAppError(updateEvent({ actor, eventId: b.id, input: { slug: a.slug } }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ slug: "events.validation.slugTaken" });
    expect(await updateEvent({ actor, eventId: b.id, input: { slug: "vtoroe-2031" } })).toMatchObject({ slug: "vtoroe-2031", changed: ["slug"] });
  });

  test("parallel edits of the same event are serialized: every audit diff starts where the previous ended", async () => {
    const { organization: org, actor } = await organization();
    const { id } = await createEvent({ actor, organizationId: org.id, input: input({ title: "T0" }) });
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => updateEvent({ actor, eventId: id, input: { title: `T${i + 1}` } })));
    expect(settledCodes(results)).toEqual({ ok: 6 });
    const diffs = (await auditOf(id, "event.updated")).map((a) => (a.changes as { title: { from: string; to: string } }).title);
    expect(diffs).toHaveLength(6);
    for (let i = 1; i < diffs.length; i++) expect(diffs[i].from).toBe(diffs[i - 1].to);
    expect(diffs[0].from).toBe("T0");
  });
});

async function publishEventWithType(actor: Actor, eventId: string) {
  const event = await db.event.findUniqueOrThrow({ where: { id: eventId } });
  await createTicketType(event);
  await publishEvent({ actor, eventId });
}

// ───────────────────────────── publish / unpublish ─────────────────────────────

describe("publish and unpublish", () => {
  test("publishing needs an active ticket type and a future start; sets publishedAt; writes audit", async () => {
    const { organization: org, owner, actor } = await organization();
    const { id } = await createEvent({ actor, organizationId: org.id, input: input() });
    await expectAppError(publishEvent({ actor, eventId: id }), "CONFLICT", "events.errors.noActiveTicketTypes");
    const event = await db.event.findUniqueOrThrow({ where: { id } });
    const type = await createTicketType(event, { isActive: false });
    await expectAppError(publishEvent({ actor, eventId: id }), "CONFLICT", "events.errors.noActiveTicketTypes");
    expect((await db.event.findUniqueOrThrow({ where: { id } })).status).toBe("DRAFT"); // rolled back

    await db.ticketType.update({ where: { id: type.id }, data: { isActive: true } });
    const now = new Date();
    expect(await publishEvent({ actor, eventId: id, now })).toEqual({ id, status: "PUBLISHED" });
    expect(await db.event.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "PUBLISHED", publishedAt: now });
    const [audit] = await auditOf(id, "event.published");
    expect(audit).toMatchObject({ actorId: owner.id, changes: { status: { from: "DRAFT", to: "PUBLISHED" } } });

    await expectAppError(publishEvent({ actor, eventId: id }), "CONFLICT", "events.errors.invalidTransition");
  });

  test("an event in the past cannot be published", async () => {
    const { organization: org, actor } = await organization();
    const past = await createEventRow(org, { status: "DRAFT", startsAt: new Date(Date.now() - HOUR) });
    await createTicketType(past);
    await expectAppError(publishEvent({ actor, eventId: past.id }), "CONFLICT", "events.errors.startsInPast");
    const manage = await getEventForManage({ actor, eventId: past.id });
    expect(manage.can.publish).toBe(false);
    expect(manage.publishBlockers).toEqual(["events.errors.startsInPast"]);
  });

  test("unpublish: back to DRAFT, publishedAt cleared, registrations kept", async () => {
    const { organization: org, actor } = await organization();
    const event = await createEventRow(org);
    const type = await createTicketType(event);
    const registration = await createRegistration(event, type, { user: await createUser() });
    expect(await unpublishEvent({ actor, eventId: event.id })).toEqual({ id: event.id, status: "DRAFT" });
    expect(await db.event.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "DRAFT", publishedAt: null });
    expect((await db.registration.findUniqueOrThrow({ where: { id: registration.id } })).status).toBe("CONFIRMED");
    await expectAppError(unpublishEvent({ actor, eventId: event.id }), "CONFLICT", "events.errors.invalidTransition");
    // A draft with active registrations cannot be deleted: cancel it first.
    await expectAppError(softDeleteEvent({ actor, eventId: event.id }), "CONFLICT", "events.errors.hasActiveRegistrations");
    expect((await db.event.findUniqueOrThrow({ where: { id: event.id } })).deletedAt).toBeNull();
  });
});

// ───────────────────────────── cancel ─────────────────────────────

describe("cancelEvent", () => {
  test("cancels every active registration with the reason, returns the seats, notifies each participant, records refunds, audits", async () => {
    const { organization: org, owner, actor } = await organization();
    const { event, free, paid, users, r } = await eventWithParticipants(org);
    const payment = await db.payment.create({
      data: { organizationId: org.id, registrationId: r.paidConfirmed.id, provider: "manual", status: "COMPLETED", amountCents: 150_000, currency: "RUB", idempotencyKey: randomUUID(), completedAt: new Date() },
    });
    // A prepaid reservation: a completed prepayment, partly refunded already.
    // (Created COMPLETED, then refunded in part: the status trigger admits no other way in.)
    const prepay = await db.payment.create({
      data: { organizationId: org.id, registrationId: r.pending.id, provider: "manual", status: "COMPLETED", amountCents: 50_000, currency: "RUB", idempotencyKey: randomUUID(), completedAt: new Date() },
    });
    await db.refund.create({ data: { paymentId: prepay.id, amountCents: 10_000, status: "COMPLETED", origin: "organizer" } });
    await db.payment.update({ where: { id: prepay.id }, data: { status: "PARTIALLY_REFUNDED", refundedCents: 10_000 } });
    // A failed payment is not refunded.
    const failed = await db.payment.create({
      data: { organizationId: org.id, registrationId: r.reserved.id, provider: "demo", status: "PENDING", amountCents: 150_000, currency: "RUB", idempotencyKey: randomUUID() },
    });
    for (const status of ["PROCESSING", "FAILED"] as const) await db.payment.update({ where: { id: failed.id }, data: { status } });
    await expectCountersMatchRows(free.id);
    await expectCountersMatchRows(paid.id);

    const result = await cancelEvent({ actor, eventId: event.id, reason: "  Площадка закрыта на ремонт  " });
    const active = [r.confirmed, r.confirmedEn, r.telegramOnly, r.guest, r.reserved, r.pending, r.paidConfirmed];
    expect(result).toEqual({ id: event.id, status: "CANCELLED", cancelledRegistrations: active.length, notified: 7, refunds: 2 });

    expect(await db.event.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      status: "CANCELLED",
      cancellationReason: "Площадка закрыта на ремонт",
      cancelledAt: expect.any(Date),
    });
    for (const reg of active) {
      expect(await db.registration.findUniqueOrThrow({ where: { id: reg.id } }), reg.id).toMatchObject({
        status: "CANCELLED",
        cancellationReason: "Площадка закрыта на ремонт",
        cancelledById: owner.id,
        cancelledAt: expect.any(Date),
      });
    }
    // Final statuses are left alone.
    expect((await db.registration.findUniqueOrThrow({ where: { id: r.checkedIn.id } })).status).toBe("CHECKED_IN");
    expect((await db.registration.findUniqueOrThrow({ where: { id: r.expired.id } })).status).toBe("EXPIRED");

    // Seats are back: counters equal the rows (only the checked-in one still holds a seat).
    expect(await expectCountersMatchRows(free.id)).toMatchObject({ soldCount: 1, reservedCount: 0 });
    expect(await expectCountersMatchRows(paid.id)).toMatchObject({ soldCount: 0, reservedCount: 0 });

    // Each participant once, with the reason: users by their channels, the guest by email.
    const sent = await notificationsOf("event.cancelled", { dedupePrefix: `event.cancelled:${event.id}:` });
    expect(sent.filter((n) => !n.userId).map((n) => [n.registrationId, n.channel])).toEqual([[r.guest.id, "EMAIL"]]);
    expect(sent.filter((n) => n.userId).map((n) => n.userId).sort()).toEqual(
      [users.confirmed, users.confirmedEn, users.telegramOnly, users.reserved, users.pending, users.paidConfirmed].map((u) => u.id).sort(),
    );
    expect(sent.find((n) => n.userId === users.confirmed.id)!.variables).toMatchObject({
      firstName: "Анна",
      eventTitle: event.title,
      eventDate: { $date: event.startsAt.toISOString(), timeZone: "Europe/Moscow" },
      cancellationReason: "Площадка закрыта на ремонт",
    });
    expect(sent.find((n) => n.userId === users.confirmed.id)!.dedupeKey).toBe(`event.cancelled:${event.id}:${r.confirmed.id}`);

    // Refunds: the whole completed payment, the rest of the partly refunded one.
    const refunds = await db.refund.findMany({ where: { status: "PENDING", paymentId: { in: [payment.id, prepay.id] } } });
    expect(refunds.map((x) => [x.paymentId, x.amountCents]).sort()).toEqual(
      [
        [payment.id, 150_000],
        [prepay.id, 40_000],
      ].sort(),
    );

    // Audit: the event and each cancelled registration.
    expect(await auditOf(event.id, "event.cancelled")).toHaveLength(1);
    const regAudits = await db.auditLog.findMany({ where: { action: "registration.cancelled", entityId: { in: active.map((x) => x.id) } } });
    expect(regAudits).toHaveLength(active.length);
    expect(regAudits.find((a) => a.entityId === r.paidConfirmed.id)!.changes).toMatchObject({ status: { from: "CONFIRMED", to: "CANCELLED" }, refundCents: 150_000 });

    // Final: no second cancel, no edits.
    await expectAppError(cancelEvent({ actor, eventId: event.id, reason: "ещё раз" }), "CONFLICT", "events.errors.invalidTransition");
    await expectAppError(updateEvent({ actor, eventId: event.id, input: { title: "x" } }), "CONFLICT", "events.errors.notEditable");
  });

  test("a reason is required (1–1000); a DRAFT can be cancelled; a COMPLETED one cannot", async () => {
    const { organization: org, actor } = await organization();
    const draft = await createEventRow(org, { status: "DRAFT" });
    const error = await expectAppError(cancelEvent({ actor, eventId: draft.id, reason: " " }), "VALIDATION");
    expect(error.fieldErrors).toEqual({ reason: "events.validation.cancelReasonRequired" });
    await expectAppError(cancelEvent({ actor, eventId: draft.id, reason: "r".repeat(1001) }), "VALIDATION");
    expect(await cancelEvent({ actor, eventId: draft.id, reason: "Не набрали группу" })).toMatchObject({ status: "CANCELLED", cancelledRegistrations: 0 });
    const completed = await createEventRow(org, { status: "COMPLETED" });
    await expectAppError(cancelEvent({ actor, eventId: completed.id, reason: "поздно" }), "CONFLICT", "events.errors.invalidTransition");
  });

  test("10 parallel cancels: exactly one wins; each registration is cancelled and notified once; counters stay exact", async () => {
    const { organization: org, actor } = await organization();
    const event = await createEventRow(org);
    const type = await createTicketType(event, { quantity: 30 });
    const participants = await Promise.all(Array.from({ length: 12 }, () => createUser()));
    for (const [i, user] of participants.entries()) {
      await createRegistration(event, type, { user, status: i % 3 === 0 ? "PENDING" : "CONFIRMED" });
    }
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => cancelEvent({ actor, eventId: event.id, reason: `Отмена ${i}` })));
    const codes = settledCodes(results);
    expect(codes.ok).toBe(1);
    expect((codes["CONFLICT:events.errors.statusChanged"] ?? 0) + (codes["CONFLICT:events.errors.invalidTransition"] ?? 0)).toBe(9);
    expect(await expectCountersMatchRows(type.id)).toMatchObject({ soldCount: 0, reservedCount: 0 });
    expect(await db.registration.count({ where: { eventId: event.id, status: "CANCELLED" } })).toBe(12);
    expect(await notificationsOf("event.cancelled", { dedupePrefix: `event.cancelled:${event.id}:` })).toHaveLength(12);
    expect(await auditOf(event.id, "event.cancelled")).toHaveLength(1);
  });

  test("publish racing cancel on a draft: never both from DRAFT; the final state matches who succeeded", async () => {
    for (let round = 0; round < 5; round++) {
      const { organization: org, actor } = await organization();
      const draft = await createEventRow(org, { status: "DRAFT" });
      await createTicketType(draft);
      const [published, cancelled] = await Promise.allSettled([
        publishEvent({ actor, eventId: draft.id }),
        cancelEvent({ actor, eventId: draft.id, reason: "гонка" }),
      ]);
      const final = await db.event.findUniqueOrThrow({ where: { id: draft.id } });
      const audits = (await auditOf(draft.id)).map((a) => a.action);
      if (cancelled.status === "fulfilled") {
        expect(final.status).toBe("CANCELLED");
        // Either cancel won alone, or publish committed first and cancel then took PUBLISHED → CANCELLED.
        if (published.status === "fulfilled") expect(audits.sort()).toEqual(["event.cancelled", "event.published"]);
        else expect(audits).toEqual(["event.cancelled"]);
      } else {
        expect(published.status).toBe("fulfilled");
        expect((cancelled.reason as AppError).code).toBe("CONFLICT");
        expect(final.status).toBe("PUBLISHED");
        expect(audits).toEqual(["event.published"]);
      }
    }
  });

  test("parallel publishes of one draft: exactly one", async () => {
    const { organization: org, actor } = await organization();
    const draft = await createEventRow(org, { status: "DRAFT" });
    await createTicketType(draft);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => publishEvent({ actor, eventId: draft.id })));
    expect(settledCodes(results).ok).toBe(1);
    expect(await auditOf(draft.id, "event.published")).toHaveLength(1);
  });
});

// ───────────────────────────── complete ─────────────────────────────

describe("completing", () => {
  test("by hand: only a published event that has started", async () => {
    const { organization: org, actor } = await organization();
    const upcoming = await createEventRow(org);
    await expectAppError(completeEvent({ actor, eventId: upcoming.id }), "CONFLICT", "events.errors.notStarted");
    const started = await createEventRow(org, { startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + HOUR) });
    const type = await createTicketType(started);
    const reg = await createRegistration(started, type, { user: await createUser() });
    expect(await completeEvent({ actor, eventId: started.id })).toEqual({ id: started.id, status: "COMPLETED" });
    expect(await db.event.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: "COMPLETED", completedAt: expect.any(Date) });
    expect((await db.registration.findUniqueOrThrow({ where: { id: reg.id } })).status).toBe("CONFIRMED");
    const draft = await createEventRow(org, { status: "DRAFT", startsAt: new Date(Date.now() - DAY) });
    await expectAppError(completeEvent({ actor, eventId: draft.id }), "CONFLICT", "events.errors.invalidTransition");
  });

  test("the cron completes published events that are over (end passed, or start + 6 h without an end), once", async () => {
    const { organization: org } = await organization();
    const now = new Date(Date.now() + 400 * DAY); // far ahead: every event of this file's other tests is over by then too
    const at = (ms: number) => new Date(now.getTime() + ms);
    const ended = await createEventRow(org, { startsAt: at(-5 * HOUR), endsAt: at(-1 * HOUR) });
    const noEndOver = await createEventRow(org, { startsAt: at(-7 * HOUR), endsAt: null });
    const noEndRunning = await createEventRow(org, { startsAt: at(-5 * HOUR), endsAt: null });
    const running = await createEventRow(org, { startsAt: at(-10 * HOUR), endsAt: at(HOUR) });
    const draftOver = await createEventRow(org, { status: "DRAFT", startsAt: at(-10 * HOUR), endsAt: at(-9 * HOUR) });
    const deletedOver = await createEventRow(org, { startsAt: at(-10 * HOUR), endsAt: at(-9 * HOUR), deletedAt: at(-HOUR) });

    const first = await completeFinishedEvents({ now, batchSize: 2 });
    expect(first.completed).toBeGreaterThanOrEqual(2);
    const status = async (e: Event) => (await db.event.findUniqueOrThrow({ where: { id: e.id } })).status;
    expect(await status(ended)).toBe("COMPLETED");
    expect(await status(noEndOver)).toBe("COMPLETED");
    expect(await status(noEndRunning)).toBe("PUBLISHED");
    expect(await status(running)).toBe("PUBLISHED");
    expect(await status(draftOver)).toBe("DRAFT");
    expect(await status(deletedOver)).toBe("PUBLISHED");
    const [audit] = await auditOf(ended.id, "event.completed");
    expect(audit).toMatchObject({ actorId: null, organizationId: org.id, changes: { status: { from: "PUBLISHED", to: "COMPLETED" }, by: "schedule" } });

    expect(await completeFinishedEvents({ now })).toEqual({ completed: 0 });
    expect(await auditOf(ended.id, "event.completed")).toHaveLength(1);
  });

  test("the crons are registered: every 15 minutes; the completion job runs the service", async () => {
    expect(appJobs).toEqual(expect.arrayContaining(eventJobs));
    const byId = new Map(eventJobs.map((j) => [j.id, j]));
    const complete = byId.get("events-complete-finished");
    const remind = byId.get("events-reminders");
    expect(complete?.trigger).toEqual({ cron: "*/15 * * * *" });
    expect(remind?.trigger).toEqual({ cron: "*/15 * * * *" });

    const { organization: org } = await organization();
    const over = await createEventRow(org, { startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - HOUR) });
    await complete!.run({ event: { name: "inngest/scheduled.timer", data: { cron: "*/15 * * * *" } }, step: createLocalStep(), attempt: 0, runId: randomUUID() });
    expect((await db.event.findUniqueOrThrow({ where: { id: over.id } })).status).toBe("COMPLETED");
  });
});

// ───────────────────────────── reminders ─────────────────────────────

describe("reminders", () => {
  test("event.reminder 24 h ahead, once per registration, only to active participants (users and guests)", async () => {
    const { organization: org } = await organization();
    const now = new Date(Date.now() + 200 * DAY);
    const event = await createEventRow(org, { startsAt: new Date(now.getTime() + 20 * HOUR), endsAt: null });
    const free = await createTicketType(event);
    const paid = await createTicketType(event, { priceCents: 10_000, reservationMinutes: 30 });
    const u = {
      confirmed: await createUser({ firstName: "Анна" }),
      pending: await createUser(),
      reserved: await createUser(),
      reservedExpired: await createUser(),
      cancelled: await createUser(),
      checkedIn: await createUser(),
    };
    const r = {
      confirmed: await createRegistration(event, free, { user: u.confirmed }),
      pending: await createRegistration(event, paid, { user: u.pending, status: "PENDING" }),
      reserved: await createRegistration(event, paid, { user: u.reserved, status: "RESERVED", expiresAt: new Date(now.getTime() + HOUR) }),
      reservedExpired: await createRegistration(event, paid, { user: u.reservedExpired, status: "RESERVED", expiresAt: new Date(now.getTime() - HOUR) }),
      cancelled: await createRegistration(event, free, { user: u.cancelled, status: "CANCELLED" }),
      checkedIn: await createRegistration(event, free, { user: u.checkedIn, status: "CHECKED_IN" }),
      guest: await createRegistration(event, free, { user: null }),
    };
    // Outside the window: starts in 30 h; and a draft starting in 2 h.
    const later = await createEventRow(org, { startsAt: new Date(now.getTime() + 30 * HOUR), endsAt: null });
    const laterReg = await createRegistration(later, await createTicketType(later), { user: await createUser() });
    const draft = await createEventRow(org, { status: "DRAFT", startsAt: new Date(now.getTime() + 2 * HOUR), endsAt: null });
    const draftReg = await createRegistration(draft, await createTicketType(draft), { user: await createUser() });

    const runs = await Promise.all([sendEventReminders({ now }), sendEventReminders({ now }), sendEventReminders({ now, batchSize: 1 })]);
    expect(runs.reduce((n, x) => n + x.sent, 0)).toBe(4);
    await sendEventReminders({ now: new Date(now.getTime() + 15 * 60_000) });

    const reminded = async (reg: { id: string }, startsAt: Date) => db.notificationLog.count({ where: { dedupeKey: reminderDedupeKey(reg.id, startsAt) } });
    expect(await reminded(r.confirmed, event.startsAt)).toBe(1);
    expect(await reminded(r.pending, event.startsAt)).toBe(1);
    expect(await reminded(r.reserved, event.startsAt)).toBe(1);
    for (const reg of [r.reservedExpired, r.cancelled, r.checkedIn]) expect(await reminded(reg, event.startsAt)).toBe(0);
    // The guest too, by email.
    expect(await db.notificationLog.findMany({ where: { templateCode: "event.reminder", registrationId: r.guest.id }, select: { channel: true } })).toEqual([{ channel: "EMAIL" }]);
    expect(await reminded(laterReg, later.startsAt)).toBe(0);
    expect(await reminded(draftReg, draft.startsAt)).toBe(0);

    const [toAnna] = await notificationsOf("event.reminder", { userId: u.confirmed.id });
    expect(toAnna.variables).toMatchObject({
      firstName: "Анна",
      eventTitle: event.title,
      eventDate: { $date: event.startsAt.toISOString(), timeZone: "Europe/Moscow" },
      eventLocation: "Москва, ул. Тестовая, 1",
      confirmationCode: r.confirmed.confirmationCode,
    });
    // An unpaid registration gets no ticket code in its reminder.
    expect((await notificationsOf("event.reminder", { userId: u.pending.id }))[0].variables).toMatchObject({ confirmationCode: "" });

    // 7 h later the 30-h event enters the window: its participant is reminded then, once.
    await sendEventReminders({ now: new Date(now.getTime() + 7 * HOUR) });
    expect(await reminded(laterReg, later.startsAt)).toBe(1);
    expect(await reminded(r.confirmed, event.startsAt)).toBe(1);
  });

  test("an event created less than 24 h ahead is reminded on the first run; a started one is not", async () => {
    const { organization: org } = await organization();
    const now = new Date(Date.now() + 100 * DAY);
    const soon = await createEventRow(org, { startsAt: new Date(now.getTime() + 3 * HOUR), endsAt: null });
    const reg = await createRegistration(soon, await createTicketType(soon), { user: await createUser() });
    const started = await createEventRow(org, { startsAt: new Date(now.getTime() - 10 * 60_000), endsAt: null });
    const startedReg = await createRegistration(started, await createTicketType(started), { user: await createUser() });
    await sendEventReminders({ now });
    expect(await db.notificationLog.count({ where: { dedupeKey: reminderDedupeKey(reg.id, soon.startsAt) } })).toBe(1);
    expect(await db.notificationLog.count({ where: { dedupeKey: reminderDedupeKey(startedReg.id, started.startsAt) } })).toBe(0);

    // The same start again: nothing new. (Moving the event re-arms the reminder for the new date.)
    await sendEventReminders({ now: new Date(now.getTime() + HOUR) });
    expect(await notificationsOf("event.reminder", { userId: reg.userId! })).toHaveLength(1);
  });
});

// ───────────────────────────── read, list, delete ─────────────────────────────

describe("getEventForManage, listEvents, softDeleteEvent", () => {
  test("the dashboard view: form values in the event's zone, ticket types with availability, counts, allowed actions", async () => {
    const { organization: org, actor } = await organization();
    const { id } = await createEvent({ actor, organizationId: org.id, input: input({ startsAt: "2031-06-01T19:00", endsAt: "2031-06-01T22:00", timezone: "Asia/Novosibirsk" }) });
    const event = await db.event.findUniqueOrThrow({ where: { id } });
    const type = await createTicketType(event, { quantity: 10, priceCents: 10_000, reservationMinutes: 30 });
    // a paid type can be published once a way to pay takes its currency (lib/payments/guard.ts)
    await connectPayments(org);
    await createRegistration(event, type, { user: await createUser() });
    await createRegistration(event, type, { user: await createUser(), status: "RESERVED", expiresAt: new Date(Date.now() - 60_000) });
    const view = await getEventForManage({ actor, eventId: id });
    expect(view.formValues).toMatchObject({ startsAt: "2031-06-01T19:00", endsAt: "2031-06-01T22:00", timezone: "Asia/Novosibirsk", slug: "letnyaya-vstrecha" });
    expect(view.ticketTypes).toEqual([expect.objectContaining({ id: type.id, soldCount: 1, reservedCount: 1, available: 9, registrationCount: 2, canDelete: false })]);
    expect(view.registrationCounts).toMatchObject({ CONFIRMED: 1, RESERVED: 1 });
    expect(view.can).toEqual({ edit: true, delete: false, publish: true, unpublish: false, cancel: true, complete: false });
    expect(view.publicUrl).toMatch(new RegExp(`/e/${org.slug}/letnyaya-vstrecha$`));
  });

  test("listEvents: upcoming soonest first, past latest first, status filter, paging", async () => {
    const { organization: org, actor } = await organization();
    const now = new Date();
    const mk = (hours: number, over: Record<string, unknown> = {}) =>
      createEventRow(org, { startsAt: new Date(now.getTime() + hours * HOUR), endsAt: null, ...over });
    const inTwoDays = await mk(48);
    const tomorrow = await mk(24, { status: "DRAFT" });
    const runningNoEnd = await mk(-2); // started 2 h ago, no end: still "upcoming" (not over)
    const yesterday = await mk(-24);
    const lastWeek = await mk(-24 * 7, { status: "CANCELLED" });
    await mk(72, { deletedAt: now });

    const upcoming = await listEvents({ actor, organizationId: org.id, when: "upcoming", now });
    expect(upcoming.items.map((e) => e.id)).toEqual([runningNoEnd.id, tomorrow.id, inTwoDays.id]);
    const past = await listEvents({ actor, organizationId: org.id, when: "past", now });
    expect(past.items.map((e) => e.id)).toEqual([yesterday.id, lastWeek.id]);
    const drafts = await listEvents({ actor, organizationId: org.id, when: "all", status: "DRAFT", now });
    expect(drafts.items.map((e) => e.id)).toEqual([tomorrow.id]);
    const paged = await listEvents({ actor, organizationId: org.id, when: "all", page: 2, pageSize: 2, now });
    expect(paged).toMatchObject({ page: 2, pageSize: 2, total: 5, totalPages: 3 });
    expect(paged.items).toHaveLength(2);
    const withCapacity = await createTicketType(inTwoDays, { quantity: 40 });
    await createRegistration(inTwoDays, withCapacity, { user: await createUser() });
    const again = await listEvents({ actor, organizationId: org.id, now });
    expect(again.items.find((e) => e.id === inTwoDays.id)).toMatchObject({ registrationCount: 1, capacity: 40 });
  });

  test("soft delete: drafts and cancelled events only; the event then is NOT_FOUND everywhere", async () => {
    const { organization: org, owner, actor } = await organization();
    const published = await createEventRow(org);
    await expectAppError(softDeleteEvent({ actor, eventId: published.id }), "CONFLICT", "events.errors.cannotDelete");
    const completed = await createEventRow(org, { status: "COMPLETED" });
    await expectAppError(softDeleteEvent({ actor, eventId: completed.id }), "CONFLICT", "events.errors.cannotDelete");

    await cancelEvent({ actor, eventId: published.id, reason: "Отмена" });
    expect(await softDeleteEvent({ actor, eventId: published.id })).toEqual({ id: published.id });
    expect((await db.event.findUniqueOrThrow({ where: { id: published.id } })).deletedAt).toEqual(expect.any(Date));
    const [audit] = await auditOf(published.id, "event.deleted");
    expect(audit.actorId).toBe(owner.id);
    await expectAppError(getEventForManage({ actor, eventId: published.id }), "NOT_FOUND");
    await expectAppError(softDeleteEvent({ actor, eventId: published.id }), "NOT_FOUND");

    const draft = await createEventRow(org, { status: "DRAFT" });
    await softDeleteEvent({ actor, eventId: draft.id });
    expect((await listEvents({ actor, organizationId: org.id, when: "all" })).items.map((e) => e.id)).not.toContain(draft.id);
  });
});
