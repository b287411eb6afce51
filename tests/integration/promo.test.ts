// Promo codes and hidden ticket types (docs/registrations.md → "Promo codes and hidden ticket types"):
// the price rule in TypeScript against its SQL twin, the usage limit under concurrency (decided like a
// seat), refusals on the promo code field with nothing sold, hidden types, replays, returned uses.
import { describe, expect, test } from "vitest";
import { db, onPrisma, sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Event, PromoCode, TicketType, User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { priceAfterPromo, promoRefusal, type PromoTerms } from "@/lib/promo/rules";
import { promoAppliesSql, promoDiscountSql } from "@/lib/promo/rules-sql";
import { cancelMyRegistration } from "@/lib/registrations/cancel";
import { expireReservations } from "@/lib/registrations/expiry";
import { register } from "@/lib/registrations/register";
import { joinWaitlist } from "@/lib/waitlist/waitlist";
import { createEvent, createGroup, createOrganization, createTicketType, createUser, uniqueEmail, uniqueIdempotencyKey } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const HOUR = 3_600_000;

async function setup(typeOverrides: Partial<TicketType> = {}) {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization);
  const type = await createTicketType(event, { quantity: 100, priceCents: 200_000, reservationMinutes: 30, ...typeOverrides } as never);
  return { organization, owner, event, type };
}

function promo(event: Event, data: Partial<PromoCode> = {}): Promise<PromoCode> {
  return db.promoCode.create({
    data: {
      organizationId: event.organizationId,
      eventId: event.id,
      code: `CODE${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
      discountKind: "PERCENT",
      discountValue: 25,
      ...data,
    } as never,
  });
}

async function manyUsers(n: number): Promise<User[]> {
  return db.user.createManyAndReturn({
    data: Array.from({ length: n }, (_, i) => ({ firstName: `Промо${i}`, lastName: null, email: uniqueEmail("promo") })),
  });
}

function fieldError(e: unknown): string | undefined {
  return e instanceof AppError ? (e.fieldErrors as Record<string, string> | undefined)?.promoCode : undefined;
}

async function expectRefused(p: Promise<unknown>, key: string) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(fieldError(error), String(error)).toBe(key);
}

describe("the price rule: SQL agrees with priceAfterPromo", () => {
  const cases: [number, "RUB" | "USD", "PERCENT" | "FIXED", number, "RUB" | "USD" | null][] = [
    [200_000, "RUB", "PERCENT", 25, null],
    [199_999, "RUB", "PERCENT", 33, null],
    [1, "RUB", "PERCENT", 50, null],
    [999, "USD", "PERCENT", 99, null],
    [150_000, "RUB", "PERCENT", 100, null],
    [0, "RUB", "PERCENT", 100, null],
    [2_000_000_000, "RUB", "PERCENT", 37, null],
    [200_000, "RUB", "FIXED", 50_000, "RUB"],
    [200_000, "RUB", "FIXED", 200_000, "RUB"],
    [200_000, "RUB", "FIXED", 500_000, "RUB"],
    [200_000, "RUB", "FIXED", 50_000, "USD"],
    [0, "RUB", "FIXED", 100, "RUB"],
  ];
  test.each(cases)("price %i %s, %s %i (%s)", async (price, currency, kind, value, promoCurrency) => {
    const ts = priceAfterPromo(price, currency, { discountKind: kind, discountValue: value, currency: promoCurrency });
    const [row] = await onPrisma(db).rows<{ discount: number }>(
      sql`SELECT ${promoDiscountSql(sql`x.price`, sql`x.currency`, sql`p`)} AS discount
            FROM (SELECT ${price}::int AS price, ${currency}::"Currency" AS currency) x,
                 (SELECT ${kind}::"PromoDiscountKind" AS discount_kind, ${value}::int AS discount_value, ${promoCurrency}::"Currency" AS currency) p`,
    );
    expect(row.discount).toBe(ts.discountCents);
    expect(ts.priceCents).toBe(price - ts.discountCents);
    expect(ts.priceCents).toBeGreaterThanOrEqual(0);
  });

  test("no code: the SQL discount is 0", async () => {
    const [row] = await onPrisma(db).rows<{ discount: number }>(
      sql`SELECT ${promoDiscountSql(sql`1000`, sql`'RUB'::"Currency"`, sql`p`)} AS discount
            FROM (SELECT 1) one LEFT JOIN (SELECT NULL::"PromoDiscountKind" AS discount_kind, NULL::int AS discount_value, NULL::"Currency" AS currency WHERE false) p ON true`,
    );
    expect(row.discount).toBe(0);
  });
});

describe("whether a code applies: SQL agrees with promoRefusal", () => {
  const now = Date.now();
  const variants: [string, Partial<PromoCode>, { hidden?: boolean; otherType?: boolean }][] = [
    ["plain", {}, {}],
    ["inactive", { isActive: false }, {}],
    ["not yet valid", { validFrom: new Date(now + HOUR) }, {}],
    ["expired", { validUntil: new Date(now - HOUR) }, {}],
    ["in its window", { validFrom: new Date(now - HOUR), validUntil: new Date(now + HOUR) }, {}],
    ["used up", { usageLimit: 2, usedCount: 2 }, {}],
    ["one use left", { usageLimit: 2, usedCount: 1 }, {}],
    ["other type", {}, { otherType: true }],
    ["whole event, hidden type", {}, { hidden: true }],
    ["this type, hidden", {}, { hidden: true, otherType: false }],
    ["fixed, other currency", { discountKind: "FIXED", discountValue: 100, currency: "USD" }, {}],
    ["fixed, same currency", { discountKind: "FIXED", discountValue: 100, currency: "RUB" }, {}],
  ];
  test.each(variants)("%s", async (name, data, o) => {
    const { event, type } = await setup({ isHidden: !!o.hidden });
    const other = await createTicketType(event, { priceCents: 100 });
    const forType = o.otherType ? other.id : name === "this type, hidden" ? type.id : null;
    const p = await promo(event, { ...data, ticketTypeId: forType });
    const [row] = await onPrisma(db).rows<{ applies: boolean }>(
      sql`SELECT ${promoAppliesSql(sql`p`, sql`t`)} AS applies FROM promo_codes p, ticket_types t WHERE p.id = ${p.id}::uuid AND t.id = ${type.id}::uuid`,
    );
    const terms: PromoTerms = { ...p, currency: p.currency };
    const refusal = promoRefusal(terms, { id: type.id, currency: type.currency, isHidden: type.isHidden }, new Date());
    expect(row.applies).toBe(refusal === null);
  });
});

describe("registering with a code", () => {
  test("the discounted price is the server's; the use is counted; the audit row says which code", async () => {
    const { event, type } = await setup();
    const code = await promo(event, { discountValue: 25, usageLimit: 5 });
    const user = await createUser();
    const result = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, promoCode: ` ${code.code.toLowerCase()} ` });
    expect(result.status).toBe("RESERVED");
    expect(result.priceCents).toBe(150_000);
    expect(result.discountCents).toBe(50_000);
    const reg = await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } });
    expect(reg).toMatchObject({ priceCents: 150_000, discountCents: 50_000, promoCodeId: code.id });
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(1);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: result.registrationId, action: "registration.created" } });
    expect(audit.changes).toMatchObject({ promoCodeId: code.id, discountCents: 50_000, priceCents: 150_000 });
  });

  test("a 100 % code makes a paid type free for this registration: CONFIRMED at once, the seat sold", async () => {
    const { event, type } = await setup({ quantity: 10 });
    const code = await promo(event, { discountValue: 100, ticketTypeId: type.id });
    const result = await register({ actor: as(await createUser()), eventId: event.id, ticketTypeId: type.id, promoCode: code.code });
    expect(result).toMatchObject({ status: "CONFIRMED", priceCents: 0, discountCents: 200_000, expiresAt: null });
    const t = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
    expect([t.soldCount, t.reservedCount]).toEqual([1, 0]);
    const reg = await db.registration.findUniqueOrThrow({ where: { id: result.registrationId } });
    expect(reg.confirmedAt).not.toBeNull();
  });

  test("a fixed code of the type's currency; a guest's registration with a code", async () => {
    const { event, type } = await setup();
    await db.event.update({ where: { id: event.id }, data: { settings: { allowGuests: true } } });
    const code = await promo(event, { discountKind: "FIXED", discountValue: 70_000, currency: "RUB" });
    const result = await register({ eventId: event.id, ticketTypeId: type.id, firstName: "Гость", email: uniqueEmail("guest"), promoCode: code.code });
    expect(result).toMatchObject({ priceCents: 130_000, discountCents: 70_000 });
  });

  test("refusals on the promo code field, nothing sold and nothing counted", async () => {
    const { event, type } = await setup();
    const usd = await createTicketType(event, { priceCents: 1000, currency: "USD" });
    const other = await createTicketType(event, { priceCents: 1000 });
    const inactive = await promo(event, { isActive: false });
    const early = await promo(event, { validFrom: new Date(Date.now() + HOUR) });
    const late = await promo(event, { validUntil: new Date(Date.now() - HOUR) });
    const usedUp = await promo(event, { usageLimit: 1, usedCount: 1 });
    const forOther = await promo(event, { ticketTypeId: other.id });
    const rub = await promo(event, { discountKind: "FIXED", discountValue: 100, currency: "RUB" });
    const elsewhere = await promo(await createEvent((await createOrganization()).organization));
    const user = await createUser();
    const attempt = (promoCode: string, ticketTypeId = type.id) => register({ actor: as(user), eventId: event.id, ticketTypeId, promoCode });
    await expectRefused(attempt("NOSUCHCODE"), "promo.errors.unknown");
    await expectRefused(attempt("x"), "promo.errors.unknown");
    await expectRefused(attempt(elsewhere.code), "promo.errors.unknown");
    await expectRefused(attempt(inactive.code), "promo.errors.inactive");
    await expectRefused(attempt(early.code), "promo.errors.notYetValid");
    await expectRefused(attempt(late.code), "promo.errors.expired");
    await expectRefused(attempt(usedUp.code), "promo.errors.usedUp");
    await expectRefused(attempt(forOther.code), "promo.errors.otherType");
    await expectRefused(attempt(rub.code, usd.id), "promo.errors.otherCurrency");
    expect(await db.registration.count({ where: { eventId: event.id } })).toBe(0);
    const counts = await db.promoCode.findMany({ where: { eventId: event.id }, select: { usedCount: true, code: true } });
    expect(counts.map((c) => c.usedCount).sort()).toEqual([0, 0, 0, 0, 0, 1]);
    const t = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
    expect([t.soldCount, t.reservedCount]).toEqual([0, 0]);
  });

  test("50 parallel registrations with a code limited to 10 uses → exactly 10 discounted sales, used_count 10", async () => {
    const { event, type } = await setup({ quantity: 100 });
    const code = await promo(event, { discountValue: 10, usageLimit: 10 });
    const users = await manyUsers(50);
    const results = await Promise.allSettled(
      users.map((u) => register({ actor: as(u), eventId: event.id, ticketTypeId: type.id, promoCode: code.code })),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(ok).toHaveLength(10);
    expect(refused.map((r) => fieldError((r as PromiseRejectedResult).reason) ?? String((r as PromiseRejectedResult).reason))).toEqual(
      Array(40).fill("promo.errors.usedUp"),
    );
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(10);
    const regs = await db.registration.findMany({ where: { eventId: event.id } });
    expect(regs).toHaveLength(10);
    expect(regs.every((r) => r.priceCents === 180_000 && r.discountCents === 20_000 && r.promoCodeId === code.id)).toBe(true);
    const t = await db.ticketType.findUniqueOrThrow({ where: { id: type.id } });
    expect([t.soldCount, t.reservedCount]).toEqual([0, 10]);
  });

  test("a whole-event code limited to 3 uses, sold in parallel over two types → exactly 3", async () => {
    const { event, type } = await setup();
    const second = await createTicketType(event, { priceCents: 50_000, reservationMinutes: 30 });
    const code = await promo(event, { usageLimit: 3 });
    const users = await manyUsers(20);
    const results = await Promise.allSettled(
      users.map((u, i) => register({ actor: as(u), eventId: event.id, ticketTypeId: i % 2 ? type.id : second.id, promoCode: code.code })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(3);
    expect(await db.registration.count({ where: { eventId: event.id } })).toBe(3);
  });

  test("an idempotent replay does not count the use twice; the same key with another code is refused", async () => {
    const { event, type } = await setup();
    const code = await promo(event, { usageLimit: 5 });
    const user = await createUser();
    const key = uniqueIdempotencyKey();
    const first = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, promoCode: code.code, idempotencyKey: key });
    const again = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, promoCode: code.code.toLowerCase(), idempotencyKey: key });
    expect(again.replayed).toBe(true);
    expect(again.registrationId).toBe(first.registrationId);
    expect(again.priceCents).toBe(150_000);
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(1);
    await expect(register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, idempotencyKey: key })).rejects.toThrow();
  });

  test("a use comes back when the unpaid registration expires or is cancelled; a confirmed one keeps it", async () => {
    const { event, type } = await setup();
    const code = await promo(event, { usageLimit: 3 });
    const [a, b, c] = await manyUsers(3);
    const ra = await register({ actor: as(a), eventId: event.id, ticketTypeId: type.id, promoCode: code.code });
    const rb = await register({ actor: as(b), eventId: event.id, ticketTypeId: type.id, promoCode: code.code });
    const free = await promo(event, { discountValue: 100 });
    const rc = await register({ actor: as(c), eventId: event.id, ticketTypeId: type.id, promoCode: free.code });
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(2);

    await cancelMyRegistration({ actor: as(a), registrationId: ra.registrationId });
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(1);

    await db.registration.update({ where: { id: rb.registrationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expireReservations({ ticketTypeId: type.id });
    expect((await db.registration.findUniqueOrThrow({ where: { id: rb.registrationId } })).status).toBe("EXPIRED");
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(0);

    await cancelMyRegistration({ actor: as(c), registrationId: rc.registrationId });
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: free.id } })).usedCount).toBe(1);
  });
});

describe("the full path (a private event: the same statement in a Prisma transaction)", () => {
  test("a group member registers with a code: discounted, counted once; a deactivated code then refuses", async () => {
    const { organization } = await createOrganization();
    const [member, second] = await manyUsers(2);
    const group = await createGroup(organization, { members: [member, second] });
    const event = await createEvent(organization, { groupId: group.id });
    const type = await createTicketType(event, { priceCents: 100_000, reservationMinutes: 30 });
    const code = await promo(event, { discountKind: "FIXED", discountValue: 30_000, currency: "RUB", usageLimit: 2 });
    const result = await register({ actor: as(member), eventId: event.id, ticketTypeId: type.id, promoCode: code.code });
    expect(result).toMatchObject({ status: "RESERVED", priceCents: 70_000, discountCents: 30_000 });
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).usedCount).toBe(1);
    await db.promoCode.update({ where: { id: code.id }, data: { isActive: false } });
    await expectRefused(register({ actor: as(second), eventId: event.id, ticketTypeId: type.id, promoCode: code.code }), "promo.errors.inactive");
    expect(await db.registration.count({ where: { eventId: event.id } })).toBe(1);
  });
});

describe("hidden ticket types", () => {
  test("without a code the type does not exist; a whole-event code does not unlock it; its own code does", async () => {
    const { event, type } = await setup({ isHidden: true, priceCents: 0 });
    const wholeEvent = await promo(event);
    const own = await promo(event, { ticketTypeId: type.id, discountValue: 100 });
    const user = await createUser();
    await expect(register({ actor: as(user), eventId: event.id, ticketTypeId: type.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expectRefused(register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, promoCode: wholeEvent.code }), "promo.errors.otherType");
    const result = await register({ actor: as(user), eventId: event.id, ticketTypeId: type.id, promoCode: own.code });
    expect(result.status).toBe("CONFIRMED");
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: own.id } })).usedCount).toBe(1);
  });

  test("the waitlist never reaches a hidden type: no waitlist of its own, \"any type\" waiters do not hold its seats", async () => {
    const { event, type } = await setup({ quantity: 1, priceCents: 0 });
    const hidden = await createTicketType(event, { quantity: 1, priceCents: 0, isHidden: true });
    const own = await promo(event, { ticketTypeId: hidden.id });
    const [first, waiter, speaker] = await manyUsers(3);
    await register({ actor: as(first), eventId: event.id, ticketTypeId: type.id }); // the public type is sold out
    await expect(joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: hidden.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await joinWaitlist({ actor: as(waiter), eventId: event.id, ticketTypeId: null }); // "any type": waits for the public one
    const result = await register({ actor: as(speaker), eventId: event.id, ticketTypeId: hidden.id, promoCode: own.code });
    expect(result.status).toBe("CONFIRMED");
  });

  test("the sale statement itself refuses a hidden type without its code (a changed code between read and lock)", async () => {
    const { event, type } = await setup({ isHidden: true });
    const own = await promo(event, { ticketTypeId: type.id, usageLimit: 1 });
    const users = await manyUsers(5);
    const results = await Promise.allSettled(users.map((u) => register({ actor: as(u), eventId: event.id, ticketTypeId: type.id, promoCode: own.code })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.registration.count({ where: { ticketTypeId: type.id } })).toBe(1);
  });
});
