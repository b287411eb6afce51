// Issue 15, "every notice reaches everyone" (docs/messages.md): each notice of the domain model is
// written for a Telegram user, an email-only user, a user who chose BOTH, a user with no channel and a
// guest — one row per channel, in the recipient's language; the reminders (24 h and the online
// morning one) only when enabled and once per rerun; the account's notification preference.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { updateEvent } from "@/lib/events/events";
import { cancelEvent, morningReminderDedupeKey, reminderDedupeKey, sendEventReminders } from "@/lib/events/lifecycle";
import { zonedTimeToUtc } from "@/lib/events/time";
import type { Event, TicketType, User } from "@/lib/generated/prisma/client";
import { getNotificationPreference, updateNotificationPreference } from "@/lib/identity/notification-preference";
import { NO_CHANNEL_MESSAGE } from "@/lib/notifications/notify";
import { markPaid } from "@/lib/payments/manual";
import { markManualRefundDone, refundPaymentAsOrganizer } from "@/lib/payments/refunds";
import { actorOf } from "@/lib/permissions";
import { register } from "@/lib/registrations";
import { cancelGuestRegistration } from "@/lib/registrations/cancel";
import { expireReservations } from "@/lib/registrations/expiry";
import { guestTokenFor, hashGuestToken } from "@/lib/registrations/tokens";
import {
  connectPayments,
  createEvent,
  createOrganization,
  createRegistration,
  createTicketType,
  createUser,
  uniqueEmail,
  uniqueTelegramId,
} from "@/tests/helpers/factories";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

type People = { telegram: User; emailOnly: User; both: User; none: User };

async function people(): Promise<People> {
  return {
    telegram: await createUser({ email: null, telegramId: uniqueTelegramId(), telegramChatId: uniqueTelegramId() }),
    emailOnly: await createUser({ locale: "EN" }),
    both: await createUser({ telegramId: uniqueTelegramId(), telegramChatId: uniqueTelegramId(), notificationPreference: "BOTH" }),
    // Signed in with Telegram but never started the bot (no chat), no email: no channel.
    none: await createUser({ email: null, telegramId: uniqueTelegramId() }),
  };
}

/** Registrations of the four people and of a guest (English page), on one event. */
async function participants(event: Event, type: TicketType, p: People, status: "CONFIRMED" | "RESERVED" = "CONFIRMED") {
  return {
    telegram: await createRegistration(event, type, { user: p.telegram, status }),
    emailOnly: await createRegistration(event, type, { user: p.emailOnly, status }),
    both: await createRegistration(event, type, { user: p.both, status }),
    none: await createRegistration(event, type, { user: p.none, status }),
    guest: await createRegistration(event, type, { user: null, status, email: uniqueEmail("guest"), locale: "EN" }),
  };
}

const rowsOf = (templateCode: string, registrationId: string) =>
  db.notificationLog.findMany({
    where: { templateCode, registrationId },
    select: { channel: true, userId: true, email: true, locale: true, status: true, errorMessage: true, variables: true, extra: true, dedupeKey: true },
    orderBy: { channel: "asc" },
  });

/** The routing rule's outcome for each recipient of `templateCode` (one row per channel; none → one FAILED row). */
async function expectRouted(templateCode: string, regs: Awaited<ReturnType<typeof participants>>, p: People) {
  const tg = await rowsOf(templateCode, regs.telegram.id);
  expect(tg.map((r) => [r.channel, r.userId])).toEqual([["TELEGRAM", p.telegram.id]]);
  const mail = await rowsOf(templateCode, regs.emailOnly.id);
  expect(mail.map((r) => [r.channel, r.userId, r.status])).toEqual([["EMAIL", p.emailOnly.id, "PENDING"]]);
  const both = await rowsOf(templateCode, regs.both.id);
  expect(both.map((r) => r.channel)).toEqual(["TELEGRAM", "EMAIL"]);
  const none = await rowsOf(templateCode, regs.none.id);
  expect(none.map((r) => [r.channel, r.status, r.errorMessage])).toEqual([[null, "FAILED", NO_CHANNEL_MESSAGE]]);
  const guest = await rowsOf(templateCode, regs.guest.id);
  expect(guest.map((r) => [r.channel, r.userId, r.email, r.locale, r.status])).toEqual([["EMAIL", null, regs.guest.email, "EN", "PENDING"]]);
  return { tg, mail, both, none, guest };
}

async function setup(eventOverrides: Parameters<typeof createEvent>[1] = {}) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, { settings: { allowGuests: true }, ...eventOverrides });
  const type = await createTicketType(event);
  return { organization, owner, event, type };
}

describe("every notice reaches users and guests on the right channel", () => {
  test("a free sale: the guest's ticket by email in the page's language, with the private link and the QR; registrations.locale", async () => {
    const { event, type } = await setup();
    const email = uniqueEmail("buyer");
    const sold = await register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Guest", email, locale: "en" });
    expect(sold.status).toBe("CONFIRMED");
    const [row] = await rowsOf("registration.confirmed", sold.registrationId);
    expect(row).toMatchObject({ channel: "EMAIL", userId: null, email, locale: "EN", status: "PENDING" });
    expect(row.variables).toMatchObject({ firstName: "Guest", ticketUrl: expect.stringMatching(new RegExp(`/t/${guestTokenFor(sold.registrationId)}$`)) });
    expect(row.extra).toMatchObject({ photo: { kind: "ticket", registrationId: sold.registrationId } });
    expect((await db.registration.findUniqueOrThrow({ where: { id: sold.registrationId } })).locale).toBe("EN");
    // No reservation mail job for a confirmed guest: the ticket is the notice.
    expect(await db.job.count({ where: { dedupeKey: { endsWith: `:guest-ticket:${sold.registrationId}` } } })).toBe(0);

    const user = await createUser({ email: null, telegramId: uniqueTelegramId(), telegramChatId: uniqueTelegramId() });
    const mine = await register({ actor: actorOf(user), eventId: event.id, ticketTypeId: type.id, locale: "ru" });
    const [ticket] = await rowsOf("registration.confirmed", mine.registrationId);
    expect(ticket).toMatchObject({ channel: "TELEGRAM", userId: user.id, email: null });
    expect(ticket.variables).toMatchObject({ ticketUrl: expect.stringMatching(new RegExp(`/dashboard/tickets/${mine.registrationId}$`)) });
    expect((await db.registration.findUniqueOrThrow({ where: { id: mine.registrationId } })).locale).toBe("RU");
  });

  test("a guest's reservation still gets the reservation mail (pay by the time), not a ticket", async () => {
    const { organization } = await setup();
    const event = await createEvent(organization, { settings: { allowGuests: true } });
    await connectPayments(organization);
    const paid = await createTicketType(event, { priceCents: 100_00, reservationMinutes: 30 });
    const sold = await register({ actor: null, eventId: event.id, ticketTypeId: paid.id, firstName: "Guest", email: uniqueEmail("r"), locale: "en" });
    expect(sold.status).toBe("RESERVED");
    expect(await rowsOf("registration.confirmed", sold.registrationId)).toHaveLength(0);
    expect(await db.job.count({ where: { dedupeKey: { endsWith: `:guest-ticket:${sold.registrationId}` } } })).toBe(1);
  });

  test("event.changed reaches every participant on the routing rule's channels, the guest by email", async () => {
    const { owner, event, type } = await setup();
    const p = await people();
    const regs = await participants(event, type, p);
    await updateEvent({ actor: actorOf(owner), eventId: event.id, input: { locationAddress: "Москва, Новая, 2" } });
    const { guest } = await expectRouted("event.changed", regs, p);
    expect(guest[0].variables).toMatchObject({ ticketUrl: expect.stringContaining(`/t/${guestTokenFor(regs.guest.id)}`) });
  });

  test("event.cancelled and registration.cancelled reach guests", async () => {
    const { owner, event, type } = await setup();
    const p = await people();
    const regs = await participants(event, type, p);
    await cancelEvent({ actor: actorOf(owner), eventId: event.id, reason: "Площадка закрыта" });
    await expectRouted("event.cancelled", regs, p);

    const other = await setup();
    const guestReg = await createRegistration(other.event, other.type, { user: null, email: uniqueEmail("g"), locale: "EN" });
    await db.registration.update({ where: { id: guestReg.id }, data: { guestTokenHash: hashGuestToken(guestTokenFor(guestReg.id)) } });
    await cancelGuestRegistration({ guestToken: guestTokenFor(guestReg.id) });
    const rows = await rowsOf("registration.cancelled", guestReg.id);
    expect(rows.map((r) => [r.channel, r.email, r.locale])).toEqual([["EMAIL", guestReg.email, "EN"]]);
  });

  test("reservation.expired reaches every holder", async () => {
    const { event } = await setup();
    const paid = await createTicketType(event, { priceCents: 500_00, reservationMinutes: 10 });
    const p = await people();
    const regs = await participants(event, paid, p, "RESERVED");
    await db.registration.updateMany({ where: { eventId: event.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await expireReservations({ eventId: event.id });
    await expectRouted("reservation.expired", regs, p);
  });
});

describe("payment.receipt and the ticket after paying", () => {
  test("the organizer marks reservations paid: every payer gets the receipt and the ticket on their channels, the guest by email", async () => {
    const { owner, event, organization } = await setup();
    await connectPayments(organization);
    const paid = await createTicketType(event, { priceCents: 700_00, reservationMinutes: 60 });
    const p = await people();
    const regs = await participants(event, paid, p, "RESERVED");
    for (const r of Object.values(regs)) await markPaid({ actor: actorOf(owner), registrationId: r.id, idempotencyKey: randomUUID() });
    const receipts = await expectRouted("payment.receipt", regs, p);
    expect(receipts.guest[0].variables).toMatchObject({ amount: expect.stringContaining("700"), ticketUrl: expect.stringContaining(`/t/${guestTokenFor(regs.guest.id)}`) });
    const tickets = await expectRouted("registration.confirmed", regs, p);
    expect(tickets.guest[0].extra).toMatchObject({ photo: { kind: "ticket", registrationId: regs.guest.id } });
  });
});

describe("refund.completed", () => {
  test("a completed refund tells the payer on their channels, the guest by email with the amount in their language", async () => {
    const { owner, event } = await setup();
    const type = await createTicketType(event, { priceCents: 500_00 });
    const p = await people();
    const regs = await participants(event, type, p);
    for (const r of Object.values(regs)) {
      const payment = await db.payment.create({
        data: { organizationId: event.organizationId, registrationId: r.id, provider: "manual", status: "COMPLETED", amountCents: 500_00, currency: "RUB", idempotencyKey: randomUUID(), completedAt: new Date() },
      });
      const { refundId } = await refundPaymentAsOrganizer({ actor: actorOf(owner), paymentId: payment.id, amountCents: 200_00, idempotencyKey: randomUUID() });
      expect(await db.notificationLog.count({ where: { templateCode: "refund.completed", registrationId: r.id } })).toBe(0);
      await markManualRefundDone({ actor: actorOf(owner), refundId });
      expect((await rowsOf("refund.completed", r.id)).every((row) => row.dedupeKey === `refund.completed:${refundId}`)).toBe(true);
    }
    const { guest } = await expectRouted("refund.completed", regs, p);
    expect(guest[0].variables).toMatchObject({ amount: expect.stringContaining("200"), ticketUrl: expect.stringContaining("/t/") });
  });
});

describe("reminders", () => {
  test("the 24-hour reminder reaches users and guests once per channel; none when switched off", async () => {
    const now = new Date(Date.now() + 200 * DAY);
    const { event, type, organization } = await setup({ startsAt: new Date(now.getTime() + 5 * HOUR), endsAt: null });
    const p = await people();
    const regs = await participants(event, type, p);
    await sendEventReminders({ now });
    await sendEventReminders({ now: new Date(now.getTime() + 15 * 60_000) });
    await expectRouted("event.reminder", regs, p);
    expect((await rowsOf("event.reminder", regs.both.id)).every((r) => r.dedupeKey === reminderDedupeKey(regs.both.id, event.startsAt))).toBe(true);

    const off = await createEvent(organization, { startsAt: new Date(now.getTime() + 5 * HOUR), endsAt: null, remindersEnabled: false });
    const offReg = await createRegistration(off, await createTicketType(off), { user: p.telegram });
    await sendEventReminders({ now });
    expect(await rowsOf("event.reminder", offReg.id)).toHaveLength(0);
  });

  test("the morning reminder: 08:00 local on the day of an online or hybrid event with a link, once; not offline, not too early, not for late registrations, not when off", async () => {
    const day = new Date(Date.now() + 300 * DAY).toISOString().slice(0, 10);
    const at = (local: string, zone = "Asia/Novosibirsk") => zonedTimeToUtc(`${day}T${local}`, zone);
    const { organization } = await setup();
    const online = { locationType: "ONLINE" as const, locationAddress: null, locationUrl: "https://meet.example/room", timezone: "Asia/Novosibirsk", endsAt: null };
    const noon = await createEvent(organization, { ...online, startsAt: at("12:00") });
    const hybrid = await createEvent(organization, { ...online, locationType: "HYBRID", locationAddress: "Новосибирск", startsAt: at("19:00") });
    const early = await createEvent(organization, { ...online, startsAt: at("08:30") });
    const offline = await createEvent(organization, { timezone: "Asia/Novosibirsk", startsAt: at("12:00"), endsAt: null });
    const off = await createEvent(organization, { ...online, startsAt: at("12:00"), remindersEnabled: false });
    const p = await people();
    const before = new Date(at("07:00").getTime() - DAY);
    const make = async (event: Event, user: User | null, createdAt = before) => {
      const r = await createRegistration(event, await createTicketType(event), user ? { user } : { user: null, email: uniqueEmail("m"), locale: "EN" });
      await db.registration.update({ where: { id: r.id }, data: { createdAt } });
      return r;
    };
    const noonRegs = { telegram: await make(noon, p.telegram), guest: await make(noon, null), late: await make(noon, p.emailOnly, at("08:05")) };
    const hybridReg = await make(hybrid, p.both);
    const earlyReg = await make(early, p.telegram);
    const offlineReg = await make(offline, p.telegram);
    const offReg = await make(off, p.telegram);

    // 07:45 local: not yet.
    await sendEventReminders({ now: at("07:45") });
    expect(await db.notificationLog.count({ where: { templateCode: "event.reminder_morning", registrationId: noonRegs.telegram.id } })).toBe(0);

    const runs = await Promise.all([sendEventReminders({ now: at("08:00") }), sendEventReminders({ now: at("08:00") })]);
    await sendEventReminders({ now: at("08:15") });
    expect(runs[0].morning + runs[1].morning).toBeGreaterThan(0);
    const morning = (id: string) => rowsOf("event.reminder_morning", id);
    const tg = await morning(noonRegs.telegram.id);
    expect(tg.map((r) => [r.channel, r.dedupeKey])).toEqual([["TELEGRAM", morningReminderDedupeKey(noonRegs.telegram.id, noon.startsAt)]]);
    expect(tg[0].variables).toMatchObject({ onlineUrl: "https://meet.example/room", ticketUrl: expect.stringContaining(`/dashboard/tickets/${noonRegs.telegram.id}`) });
    expect((await morning(noonRegs.guest.id)).map((r) => [r.channel, r.email, r.locale])).toEqual([["EMAIL", noonRegs.guest.email, "EN"]]);
    expect((await morning(hybridReg.id)).map((r) => r.channel)).toEqual(["TELEGRAM", "EMAIL"]);
    for (const r of [noonRegs.late, earlyReg, offlineReg, offReg]) expect(await morning(r.id)).toHaveLength(0);

    // Moving the event to another day re-arms it (a new start time, a new key).
    await db.event.update({ where: { id: noon.id }, data: { startsAt: new Date(noon.startsAt.getTime() + DAY) } });
    await sendEventReminders({ now: new Date(at("08:00").getTime() + DAY) });
    expect(await db.notificationLog.count({ where: { templateCode: "event.reminder_morning", registrationId: noonRegs.telegram.id } })).toBe(2);
  });
});

describe("the account's notification preference", () => {
  test("validated, saved for the signed-in user only, and the bounce is shown and cleared when the email changes", async () => {
    const me = await createUser();
    const other = await createUser({ notificationPreference: "TELEGRAM" });
    expect((await getNotificationPreference({ userId: me.id })).preference).toBe("AUTO");
    await expect(updateNotificationPreference({ userId: me.id, preference: "PIGEON" })).rejects.toBeInstanceOf(AppError);
    await expect(updateNotificationPreference({ userId: me.id, preference: null })).rejects.toMatchObject({ code: "VALIDATION" });
    expect((await db.user.findUniqueOrThrow({ where: { id: me.id } })).notificationPreference).toBe("AUTO");
    expect(await updateNotificationPreference({ userId: me.id, preference: "BOTH" })).toBe("BOTH");
    expect((await db.user.findUniqueOrThrow({ where: { id: me.id } })).notificationPreference).toBe("BOTH");
    expect((await db.user.findUniqueOrThrow({ where: { id: other.id } })).notificationPreference).toBe("TELEGRAM");
    const gone = await createUser({ deletedAt: new Date() });
    await expect(updateNotificationPreference({ userId: gone.id, preference: "EMAIL" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });

    await db.user.update({ where: { id: me.id }, data: { emailBouncedAt: new Date() } });
    expect((await getNotificationPreference({ userId: me.id })).emailBouncedAt).not.toBeNull();
    // Another change of the account keeps the bounce; a new address clears it.
    await db.user.update({ where: { id: me.id }, data: { firstName: "Новое имя" } });
    expect((await getNotificationPreference({ userId: me.id })).emailBouncedAt).not.toBeNull();
    await db.user.update({ where: { id: me.id }, data: { email: uniqueEmail("new") } });
    expect((await getNotificationPreference({ userId: me.id })).emailBouncedAt).toBeNull();
    // Verified again: cleared too.
    await db.user.update({ where: { id: me.id }, data: { emailBouncedAt: new Date() } });
    await db.user.update({ where: { id: me.id }, data: { emailVerified: true, emailVerifiedAt: new Date() } });
    expect((await getNotificationPreference({ userId: me.id })).emailBouncedAt).toBeNull();
  });
});
