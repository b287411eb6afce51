// The analytics views (lib/analytics; docs/analytics.md) against a real PostgreSQL: who may see what
// (another organization's moderator and a participant get NOT_FOUND, a non-admin gets FORBIDDEN on the
// platform view), empty events and periods (isEmpty, series filled with zeros), the hourly window, no-shows,
// promo codes, the waitlist, and the page-view funnel, sources and utm rows.
import { describe, expect, test } from "vitest";
import { eventAnalytics, organizationAnalytics, parsePeriod, platformAnalytics, type Period } from "@/lib/analytics";
import { db } from "@/lib/db";
import type { User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { addMember, createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toMatchObject({ code });
}

async function world() {
  const { organization, owner } = await createOrganization();
  const moderator = await createUser();
  await addMember(organization, moderator, "MODERATOR");
  const event = await createEvent(organization, { publishedAt: new Date(Date.now() - 3 * DAY) });
  const type = await createTicketType(event, { quantity: 50 });
  return { organization, owner, moderator, event, type };
}

describe("who may see", () => {
  test("a moderator of another organization gets NOT_FOUND for the event and the organization; a participant too; nobody signed in → UNAUTHENTICATED", async () => {
    const a = await world();
    const b = await world();
    const participant = await createUser();
    await createRegistration(a.event, a.type, { user: participant });
    const { period } = parsePeriod({});

    await expectCode(eventAnalytics({ actor: as(b.moderator), eventId: a.event.id }), "NOT_FOUND");
    await expectCode(organizationAnalytics({ actor: as(b.moderator), organizationId: a.organization.id, period }), "NOT_FOUND");
    await expectCode(eventAnalytics({ actor: as(participant), eventId: a.event.id }), "NOT_FOUND");
    await expectCode(organizationAnalytics({ actor: as(participant), organizationId: a.organization.id, period }), "NOT_FOUND");
    await expectCode(eventAnalytics({ actor: null, eventId: a.event.id }), "UNAUTHENTICATED");
    await expectCode(eventAnalytics({ actor: as(a.owner), eventId: "not-a-uuid" }), "NOT_FOUND");
    await expectCode(eventAnalytics({ actor: as(a.owner), eventId: "00000000-0000-4000-8000-000000000000" }), "NOT_FOUND");

    // the organization's own staff see it; a platform admin acts as a moderator anywhere
    const admin = await createUser({ isPlatformAdmin: true });
    expect((await eventAnalytics({ actor: as(a.moderator), eventId: a.event.id })).statusTotals.CONFIRMED).toBe(1);
    expect((await eventAnalytics({ actor: as(admin), eventId: a.event.id })).statusTotals.CONFIRMED).toBe(1);
    // B's own view does not count A's registration
    expect((await organizationAnalytics({ actor: as(b.owner), organizationId: b.organization.id, period })).totals.registrations).toBe(0);
  });

  test("the platform view: platform admins only (FORBIDDEN for an organization's owner, UNAUTHENTICATED without a user)", async () => {
    const a = await world();
    const { period } = parsePeriod({});
    await expectCode(platformAnalytics({ actor: as(a.owner), period }), "FORBIDDEN");
    await expectCode(platformAnalytics({ actor: null, period }), "UNAUTHENTICATED");
    const admin = await createUser({ isPlatformAdmin: true });
    const view = await platformAnalytics({ actor: as(admin), period });
    expect(view.days).toHaveLength(30);
    expect(view.totals.organizations).toBeGreaterThanOrEqual(2);
  });
});

describe("empty", () => {
  test("an event without registrations, views or waitlist: isEmpty, every day and hour zero, no money, rates null", async () => {
    const { owner, event } = await world();
    const view = await eventAnalytics({ actor: as(owner), eventId: event.id });
    expect(view.isEmpty).toBe(true);
    // published 3 days ago: 4 days so far (today included), all zero
    expect(view.daily).toHaveLength(4);
    expect(view.daily.every((p) => p.created === 0 && p.confirmed === 0 && p.cancelled === 0)).toBe(true);
    expect(view.hourly).toHaveLength(72);
    expect(view.hourly.every((p) => p.created === 0)).toBe(true);
    expect(Object.values(view.statusTotals).every((n) => n === 0)).toBe(true);
    expect(view.revenue).toEqual([]);
    expect(view.checkIn).toEqual({ checkedIn: 0, expected: 0, rate: null, noShows: null, arrivals: [] });
    expect(view.waitlist).toEqual({ waiting: 0, notified: 0, converted: 0, expired: 0, total: 0, conversionRate: null });
    expect(view.funnel).toEqual({ views: 0, formOpens: 0, started: 0, confirmed: 0, checkedIn: 0 });
    expect(view.cancellations).toEqual({ total: 0, byReason: [] });
    expect(view.sources).toEqual([]);
    expect(view.ticketTypes).toHaveLength(1);
    expect(view.ticketTypes[0]).toMatchObject({ sold: 0, reserved: 0, quantity: 50, sellThrough: 0 });
  });

  test("an empty period: isEmpty, every day of it present with zeros", async () => {
    const { owner, organization } = await world();
    const period: Period = { from: "2030-01-01", to: "2030-01-10", timezone: "Europe/Moscow" };
    const org = await organizationAnalytics({ actor: as(owner), organizationId: organization.id, period });
    expect(org.isEmpty).toBe(true);
    expect(org.days.map((d) => d.day)).toEqual(Array.from({ length: 10 }, (_, i) => `2030-01-${String(i + 1).padStart(2, "0")}`));
    expect(org.days.every((d) => d.registrations + d.confirmed + d.cancelled + d.checkedIn + d.views === 0)).toBe(true);
    expect(org.totals).toEqual({ registrations: 0, confirmed: 0, cancelled: 0, checkedIn: 0, views: 0, revenue: [] });
    expect(org.events).toEqual([]);
    const admin = await createUser({ isPlatformAdmin: true });
    const platform = await platformAnalytics({ actor: as(admin), period });
    expect(platform.isEmpty).toBe(true);
    expect(platform.days).toHaveLength(10);
  });
});

describe("figures", () => {
  test("the hourly window: the 72 hours before the start (or before now); days in the event's zone", async () => {
    const { organization, owner } = await world();
    // starts in 10 hours: the window ends with the current hour
    const event = await createEvent(organization, { startsAt: new Date(Date.now() + 10 * HOUR), publishedAt: new Date(Date.now() - 5 * DAY), timezone: "Asia/Kolkata" });
    const type = await createTicketType(event, { quantity: null });
    await createRegistration(event, type, { createdAt: new Date(Date.now() - 2 * HOUR) });
    await createRegistration(event, type, { createdAt: new Date(Date.now() - 2 * HOUR) });
    await createRegistration(event, type, { createdAt: new Date(Date.now() - 100 * HOUR) }); // before the window
    const view = await eventAnalytics({ actor: as(owner), eventId: event.id });
    expect(view.hourly).toHaveLength(72);
    expect(view.hourly.reduce((n, p) => n + p.created, 0)).toBe(2);
    const last = new Date(view.hourly[71].start).getTime();
    expect(last).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - last).toBeLessThan(HOUR);
    // Asia/Kolkata is UTC+5:30: a local hour starts at :30 UTC, a local day at 18:30 UTC
    expect(new Date(view.hourly[0].start).getUTCMinutes()).toBe(30);
    expect(new Date(view.daily[0].start).toISOString().slice(11, 16)).toBe("18:30");
    expect(view.daily.reduce((n, p) => n + p.created, 0)).toBe(3);
    expect(view.funnel.started).toBe(3);
  });

  test("an event that is over: the hourly window ends at its start, no-shows = CONFIRMED not checked in", async () => {
    const { organization, owner } = await world();
    const startsAt = new Date(Date.now() - 2 * DAY);
    const event = await createEvent(organization, { startsAt, endsAt: new Date(startsAt.getTime() + 3 * HOUR), publishedAt: new Date(Date.now() - 10 * DAY) });
    const type = await createTicketType(event, { quantity: 10 });
    await createRegistration(event, type, { createdAt: new Date(startsAt.getTime() - 5 * HOUR) });
    const came = await createRegistration(event, type, { status: "CHECKED_IN", createdAt: new Date(startsAt.getTime() - 30 * HOUR) });
    await db.checkIn.create({ data: { registrationId: came.id, eventId: event.id, method: "MANUAL", checkedInAt: new Date(startsAt.getTime() + 10 * 60_000) } });
    const view = await eventAnalytics({ actor: as(owner), eventId: event.id });
    expect(new Date(view.hourly[71].start).getTime()).toBe(startsAt.getTime() - (startsAt.getTime() % HOUR === 0 ? HOUR : startsAt.getTime() % HOUR));
    expect(view.hourly.reduce((n, p) => n + p.created, 0)).toBe(2);
    expect(view.checkIn).toMatchObject({ checkedIn: 1, expected: 2, rate: 0.5, noShows: 1 });
    expect(view.checkIn.arrivals).toHaveLength(1);
    expect(view.checkIn.arrivals[0].count).toBe(1);
  });

  test("promo codes (discounts of active registrations per currency), the waitlist, the funnel, sources and utm from page views", async () => {
    const { organization, owner, event, type } = await world();
    const promo = await db.promoCode.create({
      data: { organizationId: organization.id, eventId: event.id, code: "SALE10", discountKind: "PERCENT", discountValue: 10, usedCount: 2, usageLimit: 5 },
    });
    await createRegistration(event, type, { promoCodeId: promo.id, discountCents: 1_000 });
    await createRegistration(event, type, { promoCodeId: promo.id, discountCents: 1_000 });
    await createRegistration(event, type, { promoCodeId: promo.id, discountCents: 1_000, status: "CANCELLED", cancellationReason: "  " });
    for (const [position, status] of [
      [1, "WAITING"],
      [2, "WAITING"],
      [3, "CONVERTED"],
      [4, "EXPIRED"],
    ] as const) {
      await db.waitlistEntry.create({ data: { eventId: event.id, position, status, email: `w${position}@example.com` } });
    }
    const today = new Date().toISOString().slice(0, 10);
    await db.$executeRaw`
      INSERT INTO analytics_page_views (event_id, day, step, source, utm_source, utm_medium, utm_campaign, count) VALUES
        (${event.id}::uuid, ${today}::date, 'VIEW', '', '', '', '', 50),
        (${event.id}::uuid, ${today}::date, 'VIEW', 't.me', 'telegram', 'social', 'launch', 30),
        (${event.id}::uuid, ${today}::date, 'FORM_OPEN', 't.me', 'telegram', 'social', 'launch', 12),
        (${event.id}::uuid, ${today}::date, 'VIEW', 'vk.com', '', '', '', 70),
        (${event.id}::uuid, ${today}::date, 'FORM_OPEN', '', '', '', '', 5)`;

    const view = await eventAnalytics({ actor: as(owner), eventId: event.id });
    expect(view.promoCodes).toEqual([{ promoCodeId: promo.id, code: "SALE10", isActive: true, uses: 2, usageLimit: 5, discounts: [{ currency: "RUB", discountCents: 2_000 }] }]);
    expect(view.waitlist).toEqual({ waiting: 2, notified: 0, converted: 1, expired: 1, total: 4, conversionRate: 0.25 });
    expect(view.cancellations).toEqual({ total: 1, byReason: [{ reason: null, count: 1 }] });
    expect(view.funnel).toEqual({ views: 150, formOpens: 17, started: 3, confirmed: 2, checkedIn: 0 });
    expect(view.sources).toEqual([
      { source: "vk.com", views: 70, formOpens: 0 },
      { source: "", views: 50, formOpens: 5 },
      { source: "t.me", views: 30, formOpens: 12 },
    ]);
    expect(view.utm).toEqual([{ utmSource: "telegram", utmMedium: "social", utmCampaign: "launch", views: 30, formOpens: 12 }]);

    const org = await organizationAnalytics({ actor: as(owner), organizationId: organization.id, period: parsePeriod({}).period });
    expect(org.totals.views).toBe(150);
    const row = org.events.find((e) => e.eventId === event.id)!;
    expect(row).toMatchObject({ views: 150, confirmed: 2, registrations: 3, conversion: 2 / 150, fillRate: 2 / 50 });
  });
});
