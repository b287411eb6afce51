// prisma/seed.ts against this file's fresh database: the demo data it promises, counters that equal
// the rows, and a second run that changes nothing.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/identity/password";
import { isValidCode } from "@/lib/tickets/codes";
import { DEMO_ACCOUNTS, DEMO_ORGANIZATION_SLUG, DEMO_PASSWORD, DEMO_TELEGRAM_USER, main, seed, type SeedResult } from "@/prisma/seed";

let first: SeedResult;
let second: SeedResult;
let printed = "";
let snapshotAfterFirst: Record<string, number>;

async function counts(): Promise<Record<string, number>> {
  const [users, organizations, members, requests, groups, groupMembers, events, ticketTypes, registrations, payments, checkIns] =
    await Promise.all([
      db.user.count(),
      db.organization.count(),
      db.organizationMember.count(),
      db.organizationRequest.count(),
      db.group.count(),
      db.groupMember.count(),
      db.event.count(),
      db.ticketType.count(),
      db.registration.count(),
      db.payment.count(),
      db.checkIn.count(),
    ]);
  return { users, organizations, members, requests, groups, groupMembers, events, ticketTypes, registrations, payments, checkIns };
}

beforeAll(async () => {
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed += `${args.join(" ")}\n`;
  });
  try {
    first = await main();
    snapshotAfterFirst = await counts();
    second = await main();
  } finally {
    log.mockRestore();
  }
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe("prisma/seed.ts", () => {
  test("the first run creates, the second only prints the logins", async () => {
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(snapshotAfterFirst);
    // seed(db) directly, a third time: still nothing new.
    expect((await seed(db)).created).toBe(false);
    expect(await counts()).toEqual(snapshotAfterFirst);
  });

  test("prints a block of demo logins (role, email, password) on both runs", () => {
    for (const account of Object.values(DEMO_ACCOUNTS)) {
      expect(printed.split(account.email).length - 1).toBe(2);
      expect(first.logins).toContain(account.role);
    }
    expect(first.logins).toContain(DEMO_PASSWORD);
    expect(first.logins).toContain(DEMO_TELEGRAM_USER.telegramId);
    expect(printed).toMatch(/Demo data created/);
    expect(printed).toMatch(/Demo data already present/);
  });

  test("creates the promised counts", () => {
    expect(snapshotAfterFirst).toEqual({
      users: 8, // admin, owner, moderator, 5 participants (one Telegram-only)
      organizations: 1,
      members: 2,
      requests: 1,
      groups: 1,
      groupMembers: 3, // the creator and two participants
      events: 5,
      ticketTypes: 6,
      registrations: 19, // meetup 3, conference 2, nearly sold out 9, private 1, past 4
      payments: 1,
      checkIns: 3,
    });
  });

  test("accounts: admin, owner, moderator and participants sign in with the demo password; one is Telegram-only", async () => {
    const users = await db.user.findMany({ orderBy: { createdAt: "asc" } });
    const byEmail = new Map(users.map((u) => [u.email, u]));
    for (const account of Object.values(DEMO_ACCOUNTS)) {
      const user = byEmail.get(account.email);
      expect(user, account.email).toBeDefined();
      expect(user?.emailVerified).toBe(true);
      expect(user?.emailVerifiedAt).not.toBeNull();
      expect(user?.passwordHash).toBeTruthy();
    }
    // One hash (hashed once, cost 12) shared by every account with a password: verifying it once is enough.
    const hashes = new Set(users.filter((u) => u.passwordHash).map((u) => u.passwordHash));
    expect(hashes.size).toBe(1);
    expect(await verifyPassword(DEMO_PASSWORD, [...hashes][0])).toBe(true);
    expect(DEMO_PASSWORD).toMatch(/^(?=.*\p{L})(?=.*\d).{8,100}$/u);
    expect(users.filter((u) => u.isPlatformAdmin).map((u) => u.email)).toEqual([DEMO_ACCOUNTS.admin.email]);

    const telegramOnly = users.find((u) => u.telegramId === DEMO_TELEGRAM_USER.telegramId);
    expect(telegramOnly).toMatchObject({ email: null, passwordHash: null, telegramUsername: DEMO_TELEGRAM_USER.telegramUsername });
  });

  test("the organization comes from an approved request and has one OWNER and one MODERATOR", async () => {
    const org = await db.organization.findFirstOrThrow({
      where: { slug: DEMO_ORGANIZATION_SLUG },
      include: { members: { include: { user: true } }, owner: true },
    });
    expect(org.name).toBe("AqStream Demo");
    expect(org.owner.email).toBe(DEMO_ACCOUNTS.owner.email);
    expect(org.members.map((m) => [m.role, m.user.email]).sort()).toEqual([
      ["MODERATOR", DEMO_ACCOUNTS.moderator.email],
      ["OWNER", DEMO_ACCOUNTS.owner.email],
    ]);
    const request = await db.organizationRequest.findFirstOrThrow({ include: { user: true, reviewedBy: true } });
    expect(request).toMatchObject({ status: "APPROVED", slug: DEMO_ORGANIZATION_SLUG, organizationId: org.id });
    expect(request.user.email).toBe(DEMO_ACCOUNTS.owner.email);
    expect(request.reviewedBy?.email).toBe(DEMO_ACCOUNTS.admin.email);
    expect(request.reviewedAt).not.toBeNull();
  });

  test("the group has two participants (and its creator) and a private event", async () => {
    const group = await db.group.findFirstOrThrow({ include: { members: { include: { user: true } }, events: true } });
    expect(isValidCode(group.inviteCode)).toBe(true);
    expect(group.members.map((m) => m.user.email).sort()).toEqual(
      [DEMO_ACCOUNTS.anna.email, DEMO_ACCOUNTS.ivan.email, DEMO_ACCOUNTS.owner.email].sort(),
    );
    expect(group.events).toHaveLength(1);
    expect(group.events[0].status).toBe("PUBLISHED");
  });

  test("events: free meetup, paid conference, nearly sold out, private, past", async () => {
    const now = Date.now();
    const events = await db.event.findMany({ include: { ticketTypes: { orderBy: { sortOrder: "asc" } }, registrations: true } });
    for (const e of events) {
      expect(e.timezone).toBe("Europe/Moscow");
      expect(e.title.length).toBeGreaterThan(10);
      expect(e.description).toMatch(/\n/); // Markdown, several lines
      expect(e.endsAt && e.endsAt > e.startsAt).toBe(true);
      expect(e.publishedAt).not.toBeNull();
    }
    expect(new Set(events.map((e) => e.locationType))).toEqual(new Set(["OFFLINE", "ONLINE", "HYBRID"]));

    const future = events.filter((e) => e.startsAt.getTime() > now);
    expect(future).toHaveLength(4);
    expect(future.every((e) => e.status === "PUBLISHED")).toBe(true);

    const free = events.find((e) => e.ticketTypes.length === 1 && e.ticketTypes[0].quantity === 100);
    expect(free?.ticketTypes[0].priceCents).toBe(0);
    expect(free?.registrations.filter((r) => r.status === "CONFIRMED").length).toBeGreaterThanOrEqual(2);

    const conference = events.find((e) => e.ticketTypes.length === 2);
    expect(conference?.ticketTypes.map((t) => [t.priceCents, t.currency, t.reservationMinutes])).toEqual([
      [150_000, "RUB", 30],
      [250_000, "RUB", null],
    ]);
    const reserved = conference?.registrations.find((r) => r.status === "RESERVED");
    expect(reserved?.expiresAt?.getTime()).toBeGreaterThan(now);
    expect(reserved?.ticketTypeId).toBe(conference?.ticketTypes[0].id);
    const confirmed = conference?.registrations.find((r) => r.status === "CONFIRMED");
    const payment = await db.payment.findFirstOrThrow({ where: { registrationId: confirmed?.id } });
    expect(payment).toMatchObject({ provider: "manual", status: "COMPLETED", amountCents: 250_000, currency: "RUB" });
    expect(payment.completedAt).not.toBeNull();
    // the paid events can be paid for: Demo and Manual are connected (lib/payments/guard.ts)
    const accounts = await db.paymentAccount.findMany({ where: { organizationId: conference?.organizationId }, orderBy: { provider: "asc" } });
    expect(accounts.map((a) => [a.provider, a.credentials])).toEqual([
      ["demo", null],
      ["manual", null],
    ]);
    expect(accounts[1].manualInstructions).toMatch(/код регистрации/);

    const nearlySoldOut = events.find((e) => e.ticketTypes[0]?.quantity === 10);
    expect(nearlySoldOut?.ticketTypes[0].soldCount).toBe(9);
    expect(nearlySoldOut?.registrations.filter((r) => r.status === "CONFIRMED")).toHaveLength(9);
    const guests = nearlySoldOut?.registrations.filter((r) => r.userId === null) ?? [];
    expect(guests.length).toBeGreaterThan(0);
    expect(guests.every((g) => g.email)).toBe(true);

    expect(events.filter((e) => e.groupId !== null)).toHaveLength(1);

    const past = events.find((e) => e.startsAt.getTime() < now);
    expect(past?.status).toBe("COMPLETED");
    const checkedIn = past?.registrations.filter((r) => r.status === "CHECKED_IN") ?? [];
    expect(checkedIn.length).toBeGreaterThan(0);
    const checkIns = await db.checkIn.findMany({ where: { eventId: past?.id } });
    expect(checkIns.map((c) => c.registrationId).sort()).toEqual(checkedIn.map((r) => r.id).sort());
  });

  test("every ticket type's counters equal its rows, within capacity", async () => {
    const types = await db.ticketType.findMany({ include: { registrations: { select: { status: true } } } });
    for (const t of types) {
      const sold = t.registrations.filter((r) => r.status === "CONFIRMED" || r.status === "CHECKED_IN").length;
      const reserved = t.registrations.filter((r) => r.status === "RESERVED" || r.status === "PENDING").length;
      expect({ name: t.name, sold: t.soldCount, reserved: t.reservedCount }).toEqual({ name: t.name, sold, reserved });
      if (t.quantity !== null) expect(t.soldCount + t.reservedCount).toBeLessThanOrEqual(t.quantity);
    }
  });

  test("registrations: valid unique codes, denormalized price, tenant of their event", async () => {
    const registrations = await db.registration.findMany({ include: { event: true, ticketType: true } });
    expect(new Set(registrations.map((r) => r.confirmationCode)).size).toBe(registrations.length);
    for (const r of registrations) {
      expect(isValidCode(r.confirmationCode)).toBe(true);
      expect(r.organizationId).toBe(r.event.organizationId);
      expect(r.ticketType.eventId).toBe(r.eventId);
      expect(r.priceCents).toBe(r.ticketType.priceCents);
      expect(r.firstName.length).toBeGreaterThan(0);
    }
  });
});
