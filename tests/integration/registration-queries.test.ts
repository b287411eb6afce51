// The participant's reads (lib/registrations/queries.ts) against a real PostgreSQL: the register page's
// data (visibility of private/draft events, offered types, the viewer's registration and waitlist entry),
// one ticket (own only; a guest's by the private-link token; the QR only when confirmed; a reservation
// past expires_at reads EXPIRED), "my tickets" tabs, and a waitlist offer behind its claim token.
// Every function that takes an id is tested with another user's id: "not found".
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import type { User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import {
  getGuestTicket,
  getMyTicket,
  getRegistrationFormPage,
  getWaitlistOffer,
  listMyTickets,
} from "@/lib/registrations/queries";
import { guestTokenFor, hashGuestToken, waitlistClaimToken } from "@/lib/registrations/tokens";
import { verifyTicket } from "@/lib/tickets/ticket-token";
import { createEvent, createGroup, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function setup() {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization);
  const type = await createTicketType(event, { quantity: 10 });
  const participant = await createUser();
  const stranger = await createUser();
  return { organization, owner, event, type, participant, stranger };
}

describe("getMyTicket", () => {
  test("own CONFIRMED ticket: details and a QR payload that verifies", async () => {
    const { event, type, participant } = await setup();
    const r = await createRegistration(event, type, { user: participant });
    const ticket = await getMyTicket({ actor: as(participant), registrationId: r.id });
    expect(ticket).not.toBeNull();
    expect(ticket!.status).toBe("CONFIRMED");
    expect(ticket!.confirmationCode).toBe(r.confirmationCode);
    expect(ticket!.event.id).toBe(event.id);
    expect(ticket!.ticketTypeName).toBe(type.name);
    expect(ticket!.canCancel).toBe(true);
    const verified = verifyTicket(ticket!.qrPayload!);
    expect(verified).toEqual({ ok: true, eventId: event.id, registrationId: r.id, code: r.confirmationCode });
  });

  test("another user's registration id, an unknown id and a malformed id are not found", async () => {
    const { event, type, participant, stranger } = await setup();
    const r = await createRegistration(event, type, { user: participant });
    expect(await getMyTicket({ actor: as(stranger), registrationId: r.id })).toBeNull();
    expect(await getMyTicket({ actor: as(participant), registrationId: randomUUID() })).toBeNull();
    expect(await getMyTicket({ actor: as(participant), registrationId: "not-a-uuid" })).toBeNull();
    // A guest registration is nobody's "own" ticket either.
    const guest = await createRegistration(event, type, { user: null });
    expect(await getMyTicket({ actor: as(participant), registrationId: guest.id })).toBeNull();
  });

  test("RESERVED: no QR, a deadline; past expires_at it reads EXPIRED before any sweep, and cannot be cancelled", async () => {
    const { event, participant } = await setup();
    const paid = await createTicketType(event, { name: "Платный", priceCents: 150_000, reservationMinutes: 30, quantity: 5 });
    const r = await createRegistration(event, paid, { user: participant, status: "RESERVED" });
    const live = await getMyTicket({ actor: as(participant), registrationId: r.id });
    expect(live!.status).toBe("RESERVED");
    expect(live!.qrPayload).toBeNull();
    expect(live!.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(live!.canCancel).toBe(true);

    await db.registration.update({ where: { id: r.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const lapsed = await getMyTicket({ actor: as(participant), registrationId: r.id });
    expect(lapsed!.status).toBe("EXPIRED");
    expect(lapsed!.qrPayload).toBeNull();
    expect(lapsed!.canCancel).toBe(false);
    // The row itself was not touched (the sweep does that).
    expect((await db.registration.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("RESERVED");
  });

  test("PENDING and CANCELLED carry no QR; a started event cannot be cancelled; paid amounts are summed", async () => {
    const { organization, participant } = await setup();
    const started = await createEvent(organization, { startsAt: new Date(Date.now() - HOUR) });
    const t1 = await createTicketType(started, { priceCents: 50_000 });
    const confirmedStarted = await createRegistration(started, t1, { user: participant });
    const view = await getMyTicket({ actor: as(participant), registrationId: confirmedStarted.id });
    expect(view!.qrPayload).not.toBeNull();
    expect(view!.canCancel).toBe(false);

    const other = await createEvent(organization);
    const t2 = await createTicketType(other, { priceCents: 70_000 });
    const pending = await createRegistration(other, t2, { user: participant, status: "PENDING" });
    expect((await getMyTicket({ actor: as(participant), registrationId: pending.id }))!.qrPayload).toBeNull();
    await db.payment.create({
      data: {
        organizationId: organization.id,
        registrationId: pending.id,
        provider: "manual",
        status: "COMPLETED",
        amountCents: 70_000,
        currency: "RUB",
        idempotencyKey: randomUUID(),
      },
    });
    expect((await getMyTicket({ actor: as(participant), registrationId: pending.id }))!.paidCents).toBe(70_000);

    const third = await createEvent(organization);
    const t3 = await createTicketType(third);
    const cancelled = await createRegistration(third, t3, { user: participant, status: "CANCELLED" });
    const c = await getMyTicket({ actor: as(participant), registrationId: cancelled.id });
    expect(c!.status).toBe("CANCELLED");
    expect(c!.qrPayload).toBeNull();
    expect(c!.canCancel).toBe(false);
  });
});

describe("getGuestTicket", () => {
  test("found by the private link's token (only its hash is stored); a wrong token and a user's registration are not", async () => {
    const { event, type, participant } = await setup();
    const id = randomUUID();
    const token = guestTokenFor(id);
    await createRegistration(event, type, { user: null, id, guestTokenHash: hashGuestToken(token) });
    const ticket = await getGuestTicket({ token });
    expect(ticket?.id).toBe(id);
    expect(ticket?.qrPayload).not.toBeNull();

    expect(await getGuestTicket({ token: guestTokenFor(randomUUID()) })).toBeNull();
    expect(await getGuestTicket({ token: "short" })).toBeNull();
    expect(await getGuestTicket({ token: `${token.slice(0, 42)}${token[42] === "A" ? "B" : "A"}` })).toBeNull();

    // A signed-in user's registration is never reachable through a guest link, even with a hash set.
    const userRegId = randomUUID();
    const userToken = guestTokenFor(userRegId);
    await createRegistration(event, type, { user: participant, id: userRegId, guestTokenHash: hashGuestToken(userToken) });
    expect(await getGuestTicket({ token: userToken })).toBeNull();
  });
});

describe("listMyTickets", () => {
  test("upcoming / past / cancelled, own tickets only", async () => {
    const { organization, participant, stranger } = await setup();
    const soon = await createEvent(organization, { startsAt: new Date(Date.now() + 2 * DAY) });
    const later = await createEvent(organization, { startsAt: new Date(Date.now() + 5 * DAY) });
    const over = await createEvent(organization, { startsAt: new Date(Date.now() - 3 * DAY), endsAt: new Date(Date.now() - 3 * DAY + HOUR) });
    const cancelledEvent = await createEvent(organization);
    const expiredEvent = await createEvent(organization);
    const [tSoon, tLater, tOver, tCancelled] = await Promise.all([soon, later, over, cancelledEvent].map((e) => createTicketType(e)));
    const tExpired = await createTicketType(expiredEvent, { priceCents: 100_000, reservationMinutes: 30 });
    const rLater = await createRegistration(later, tLater, { user: participant });
    const rSoon = await createRegistration(soon, tSoon, { user: participant });
    const rOver = await createRegistration(over, tOver, { user: participant, status: "CHECKED_IN" });
    const rCancelled = await createRegistration(cancelledEvent, tCancelled, { user: participant, status: "CANCELLED" });
    const rLapsed = await createRegistration(expiredEvent, tExpired, { user: participant, status: "RESERVED", expiresAt: new Date(Date.now() - 60_000) });
    await createRegistration(soon, tSoon, { user: stranger });

    const mine = await listMyTickets({ actor: as(participant) });
    expect(mine.upcoming.map((r) => r.id)).toEqual([rSoon.id, rLater.id]);
    expect(mine.past.map((r) => r.id)).toEqual([rOver.id]);
    expect(mine.cancelled.map((r) => r.id).sort()).toEqual([rCancelled.id, rLapsed.id].sort());
    expect(mine.cancelled.find((r) => r.id === rLapsed.id)!.status).toBe("EXPIRED");
    expect(mine.upcoming[0].qrPayload).not.toBeNull();

    const theirs = await listMyTickets({ actor: as(stranger) });
    expect(theirs.upcoming).toHaveLength(1);
    expect(theirs.past).toHaveLength(0);
    expect(theirs.cancelled).toHaveLength(0);
  });
});

describe("getRegistrationFormPage", () => {
  test("unknown slugs, drafts and deleted events are not found", async () => {
    const { organization, event, participant } = await setup();
    const actor = as(participant);
    expect(await getRegistrationFormPage({ actor, organizationSlug: organization.slug, eventSlug: "nope" })).toBeNull();
    expect(await getRegistrationFormPage({ actor, organizationSlug: "nope", eventSlug: event.slug })).toBeNull();
    const draft = await createEvent(organization, { status: "DRAFT" });
    expect(await getRegistrationFormPage({ actor, organizationSlug: organization.slug, eventSlug: draft.slug })).toBeNull();
    const deleted = await createEvent(organization, { deletedAt: new Date() });
    expect(await getRegistrationFormPage({ actor, organizationSlug: organization.slug, eventSlug: deleted.slug })).toBeNull();
  });

  test("a private event: members see it, other users get not found, anonymous visitors are asked to sign in", async () => {
    const { organization, participant, stranger } = await setup();
    const group = await createGroup(organization, { members: [participant] });
    const event = await createEvent(organization, { groupId: group.id });
    await createTicketType(event);
    const page = await getRegistrationFormPage({ actor: as(participant), organizationSlug: organization.slug, eventSlug: event.slug });
    expect(page?.kind).toBe("form");
    expect(page?.kind === "form" && page.event.isPrivate).toBe(true);
    expect(await getRegistrationFormPage({ actor: as(stranger), organizationSlug: organization.slug, eventSlug: event.slug })).toBeNull();
    expect(await getRegistrationFormPage({ actor: null, organizationSlug: organization.slug, eventSlug: event.slug })).toEqual({ kind: "signInRequired" });
  });

  test("offered types: inactive ones left out, the sales window and availability per type, settings, the viewer's profile", async () => {
    const { organization, participant } = await setup();
    const event = await createEvent(organization, {
      settings: { allowGuests: true, registrationFields: [{ key: "city", label: "Город", type: "text", required: true }] } as never,
    });
    const open = await createTicketType(event, { name: "Открытый", quantity: 2, sortOrder: 1 });
    await createTicketType(event, { name: "Выключенный", isActive: false, sortOrder: 2 });
    await createTicketType(event, { name: "Скоро", salesStart: new Date(Date.now() + DAY), sortOrder: 3 });
    await createTicketType(event, { name: "Всё", salesEnd: new Date(Date.now() - HOUR), sortOrder: 4 });
    const full = await createTicketType(event, { name: "Полный", quantity: 1, sortOrder: 5 });
    await createRegistration(event, full, { user: await createUser() });
    await createRegistration(event, open, { user: await createUser() });

    const page = await getRegistrationFormPage({ actor: as(participant), organizationSlug: organization.slug, eventSlug: event.slug });
    if (page?.kind !== "form") throw new Error("expected the form");
    expect(page.ticketTypes.map((t) => [t.name, t.sales, t.availableToPublic, t.soldOut])).toEqual([
      ["Открытый", "onSale", 1, false],
      ["Скоро", "notStarted", 100, false],
      ["Всё", "ended", 100, false],
      ["Полный", "onSale", 0, true],
    ]);
    expect(page.event.allowGuests).toBe(true);
    expect(page.event.registrationFields.map((f) => f.key)).toEqual(["city"]);
    expect(page.event.closed).toBeNull();
    expect(page.viewer).toEqual({ firstName: participant.firstName, lastName: participant.lastName, email: participant.email });
    expect(page.myRegistration).toBeNull();
    expect(page.myWaitlist).toBeNull();
  });

  test("the viewer's active registration and waitlist entry; cancelled / started events are closed", async () => {
    const { organization, event, type, participant } = await setup();
    const r = await createRegistration(event, type, { user: participant });
    const page = await getRegistrationFormPage({ actor: as(participant), organizationSlug: organization.slug, eventSlug: event.slug });
    expect(page?.kind === "form" && page.myRegistration).toEqual({ id: r.id, status: "CONFIRMED", ticketTypeName: type.name });

    const other = await createEvent(organization);
    await createTicketType(other, { quantity: 1 });
    await db.waitlistEntry.create({ data: { eventId: other.id, userId: participant.id, position: 1, status: "WAITING" } });
    await db.waitlistEntry.create({ data: { eventId: other.id, userId: (await createUser()).id, position: 2, status: "WAITING" } });
    const wl = await getRegistrationFormPage({ actor: as(participant), organizationSlug: organization.slug, eventSlug: other.slug });
    expect(wl?.kind === "form" && wl.myWaitlist).toMatchObject({ status: "WAITING", position: 1, ahead: 0, ticketTypeId: null, offer: null });

    const cancelled = await createEvent(organization, { status: "CANCELLED" });
    const started = await createEvent(organization, { startsAt: new Date(Date.now() - HOUR) });
    const c = await getRegistrationFormPage({ actor: null, organizationSlug: organization.slug, eventSlug: cancelled.slug });
    const s = await getRegistrationFormPage({ actor: null, organizationSlug: organization.slug, eventSlug: started.slug });
    expect(c?.kind === "form" && c.event.closed).toBe("cancelled");
    expect(s?.kind === "form" && s.event.closed).toBe("started");
  });
});

describe("getWaitlistOffer", () => {
  test("states behind a valid token; a wrong token or another user's entry is invalid", async () => {
    const { event, type, participant, stranger } = await setup();
    const entry = await db.waitlistEntry.create({
      data: { eventId: event.id, userId: participant.id, position: 1, status: "NOTIFIED", offeredTicketTypeId: type.id, expiresAt: new Date(Date.now() + HOUR) },
    });
    const token = waitlistClaimToken(entry.id);
    const offer = await getWaitlistOffer({ actor: as(participant), entryId: entry.id, token });
    expect(offer.state).toBe("offer");
    if (offer.state === "invalid") throw new Error("unreachable");
    expect(offer.ticketType?.name).toBe(type.name);
    expect(offer.expiresAt?.getTime()).toBe(entry.expiresAt!.getTime());

    expect(await getWaitlistOffer({ actor: as(stranger), entryId: entry.id, token })).toEqual({ state: "invalid" });
    expect(await getWaitlistOffer({ actor: as(participant), entryId: entry.id, token: waitlistClaimToken(randomUUID()) })).toEqual({ state: "invalid" });
    expect(await getWaitlistOffer({ actor: as(participant), entryId: "x", token })).toEqual({ state: "invalid" });

    await db.waitlistEntry.update({ where: { id: entry.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await getWaitlistOffer({ actor: as(participant), entryId: entry.id, token })).state).toBe("expired");

    const r = await createRegistration(event, type, { user: participant });
    await db.waitlistEntry.update({ where: { id: entry.id }, data: { status: "CONVERTED", convertedRegistrationId: r.id } });
    const converted = await getWaitlistOffer({ actor: as(participant), entryId: entry.id, token });
    expect(converted.state === "converted" && converted.registrationId).toBe(r.id);
  });
});
