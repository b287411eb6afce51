// Promo codes around the sale: the organizer's services (events.manage, tenant-scoped, audited), hidden
// ticket types kept off the public pages, "Have a code?" on the register page (rate-limited failures),
// the REST sale with a promoCode (a tampered price, type or code has no effect), and the database's
// own checks on promo_codes.
import { describe, expect, test } from "vitest";
import { POST } from "@/app/api/v1/events/[eventId]/registrations/route";
import { db } from "@/lib/db";
import type { Event, TicketType, User } from "@/lib/generated/prisma/client";
import { createTicketType as createTicketType_, updateTicketType } from "@/lib/events";
import { en } from "@/lib/i18n/messages/areas/promo";
import { actorOf, type Actor } from "@/lib/permissions";
import { createPromoCode, deactivatePromoCode, listPromoCodes } from "@/lib/promo";
import { getPublicAvailability, getPublicEvent, listCatalogue } from "@/lib/public/queries";
import { EMPTY_CATALOGUE_PARAMS } from "@/lib/public/catalogue-params";
import { getRegistrationFormPage } from "@/lib/registrations/queries";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";
import { addMember, createEvent, createOrganization, createTicketType, createUser, expectDbRejects, uniqueEmail } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;

const form = (eventId: string, overrides: Record<string, string> = {}) => ({
  eventId,
  code: `c-${Math.random().toString(36).slice(2, 10)}`,
  discountKind: "PERCENT" as const,
  discountValue: "20",
  ticketTypeId: "",
  usageLimit: "",
  validFrom: "",
  validUntil: "",
  ...overrides,
});

async function world() {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, { settings: { allowGuests: true } });
  const type = await createTicketType(event, { name: "Стандарт", priceCents: 300_000, quantity: 50 });
  const speakers = await createTicketType(event, { name: "Спикер", priceCents: 0, quantity: 5, isHidden: true });
  return { organization, owner, event, type, speakers };
}

async function fieldErrorOf(p: Promise<unknown>): Promise<Record<string, string> | undefined> {
  const e = await p.then(
    () => null,
    (x: unknown) => x as { fieldErrors?: Record<string, string> },
  );
  return e?.fieldErrors;
}

describe("the organizer's promo codes", () => {
  test("create (normalized code, percent / fixed, type or event, limit, window), list with uses, deactivate; audited", async () => {
    const { owner, event, type, speakers } = await world();
    const a = await createPromoCode({ actor: as(owner), input: form(event.id, { code: " early-bird ", usageLimit: "10", validFrom: "2026-01-01T10:00", validUntil: "2030-01-01T10:00" }) });
    expect(a.code).toBe("EARLY-BIRD");
    const b = await createPromoCode({ actor: as(owner), input: form(event.id, { code: "MINUS500", discountKind: "FIXED", discountValue: "500", ticketTypeId: type.id }) });
    const c = await createPromoCode({ actor: as(owner), input: form(event.id, { code: "SPEAKER", discountValue: "100", ticketTypeId: speakers.id }) });
    const rows = await db.promoCode.findMany({ where: { eventId: event.id }, orderBy: { code: "asc" } });
    expect(rows.map((r) => [r.code, r.discountKind, r.discountValue, r.currency, r.ticketTypeId, r.usageLimit])).toEqual([
      ["EARLY-BIRD", "PERCENT", 20, null, null, 10],
      ["MINUS500", "FIXED", 50_000, "RUB", type.id, null],
      ["SPEAKER", "PERCENT", 100, null, speakers.id, null],
    ]);
    // The window is typed in the event's zone (Europe/Moscow, UTC+3).
    expect(rows[0].validFrom?.toISOString()).toBe("2026-01-01T07:00:00.000Z");

    const list = await listPromoCodes({ actor: as(owner), eventId: event.id });
    expect(list.map((p) => [p.code, p.state, p.ticketTypeName])).toEqual(
      expect.arrayContaining([
        ["EARLY-BIRD", "active", null],
        ["MINUS500", "active", "Стандарт"],
        ["SPEAKER", "active", "Спикер"],
      ]),
    );

    expect((await deactivatePromoCode({ actor: as(owner), promoCodeId: b.id })).changed).toBe(true);
    expect((await deactivatePromoCode({ actor: as(owner), promoCodeId: b.id })).changed).toBe(false);
    expect((await listPromoCodes({ actor: as(owner), eventId: event.id })).find((p) => p.id === b.id)!.state).toBe("inactive");
    const audit = await db.auditLog.findMany({ where: { entityId: { in: [a.id, b.id, c.id] } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((x) => x.action).sort()).toEqual(["promo_code.created", "promo_code.created", "promo_code.created", "promo_code.deactivated"]);
  });

  test("bad input: field errors, nothing written", async () => {
    const { owner, event, type } = await world();
    const other = await createTicketType(await createEvent((await createOrganization()).organization));
    const usd = await createTicketType(event, { priceCents: 1000, currency: "USD" });
    await createPromoCode({ actor: as(owner), input: form(event.id, { code: "TAKEN" }) });
    const before = await db.promoCode.count({ where: { eventId: event.id } });
    const cases: [Record<string, string>, string, string][] = [
      [{ code: "ab" }, "code", "promo.validation.codeInvalid"],
      [{ code: "скидка" }, "code", "promo.validation.codeInvalid"],
      [{ code: "taken" }, "code", "promo.validation.codeTaken"],
      [{ discountValue: "0" }, "discountValue", "promo.validation.percentInvalid"],
      [{ discountValue: "101" }, "discountValue", "promo.validation.percentInvalid"],
      [{ discountKind: "FIXED", discountValue: "-5" }, "discountValue", "promo.validation.amountInvalid"],
      [{ ticketTypeId: other.id }, "ticketTypeId", "promo.validation.ticketTypeInvalid"],
      [{ usageLimit: "0" }, "usageLimit", "promo.validation.limitInvalid"],
      [{ validFrom: "2030-01-02T10:00", validUntil: "2030-01-01T10:00" }, "validUntil", "promo.validation.windowInvalid"],
    ];
    for (const [overrides, field, key] of cases) {
      const errors = await fieldErrorOf(createPromoCode({ actor: as(owner), input: form(event.id, overrides) }));
      expect(errors?.[field], JSON.stringify(overrides)).toBe(key);
    }
    // A fixed whole-event code with types of two currencies needs a currency; with one given it works.
    expect([type.currency, usd.currency]).toEqual(["RUB", "USD"]);
    expect((await fieldErrorOf(createPromoCode({ actor: as(owner), input: form(event.id, { discountKind: "FIXED", discountValue: "5" }) })))?.ticketTypeId).toBe(
      "promo.validation.fixedNeedsCurrency",
    );
    expect(await db.promoCode.count({ where: { eventId: event.id } })).toBe(before);
    await createPromoCode({ actor: as(owner), input: { ...form(event.id, { discountKind: "FIXED", discountValue: "5" }), currency: "USD" } });
    expect(await db.promoCode.count({ where: { eventId: event.id, currency: "USD" } })).toBe(1);
  });

  test("tenant scoping: another organization's owner, a plain user and a stranger's code id get NOT_FOUND; nothing changes", async () => {
    const { owner, event } = await world();
    const code = await createPromoCode({ actor: as(owner), input: form(event.id) });
    const { owner: otherOwner } = await createOrganization();
    const outsider = await createUser();
    for (const actor of [as(otherOwner), as(outsider)]) {
      await expect(listPromoCodes({ actor, eventId: event.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(createPromoCode({ actor, input: form(event.id) })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(deactivatePromoCode({ actor, promoCodeId: code.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(listPromoCodes({ actor: null, eventId: event.id })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect((await db.promoCode.findUniqueOrThrow({ where: { id: code.id } })).isActive).toBe(true);
    expect(await db.promoCode.count({ where: { eventId: event.id } })).toBe(1);
  });

  test("a moderator of the organization manages codes like ticket types (events.manage)", async () => {
    const { organization, event } = await world();
    const moderator = await createUser();
    await addMember(organization, moderator, "MODERATOR");
    const created = await createPromoCode({ actor: as(moderator), input: form(event.id) });
    expect((await listPromoCodes({ actor: as(moderator), eventId: event.id })).map((p) => p.id)).toContain(created.id);
  });

  test("the database refuses what the services never write: a bad code, a limit below the uses, a percent above 100", async () => {
    const { event } = await world();
    const base = { organizationId: event.organizationId, eventId: event.id, discountKind: "PERCENT" as const, discountValue: 10 };
    await expectDbRejects(db.promoCode.create({ data: { ...base, code: "lower" } }), "promo_codes_code_check");
    await expectDbRejects(db.promoCode.create({ data: { ...base, code: "OVER", usageLimit: 1, usedCount: 2 } }), "promo_codes_usage_check");
    await expectDbRejects(db.promoCode.create({ data: { ...base, code: "BIG", discountValue: 101 } }), "promo_codes_discount_check");
    await expectDbRejects(db.promoCode.create({ data: { ...base, code: "FIX", discountKind: "FIXED" } }), "promo_codes_discount_check");
  });
});

describe("hidden ticket types on the public side", () => {
  test("the ticket-type service: \"Hidden\" on create and edit, audited like any field", async () => {
    const { owner, event } = await world();
    const created = await createTicketType_({ actor: as(owner), eventId: event.id, input: { name: "Спонсор", isHidden: "on" } });
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: created.id } })).isHidden).toBe(true);
    const updated = await updateTicketType({ actor: as(owner), ticketTypeId: created.id, input: { isHidden: false } });
    expect(updated.changed).toEqual(["isHidden"]);
    expect((await db.ticketType.findUniqueOrThrow({ where: { id: created.id } })).isHidden).toBe(false);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: created.id, action: "ticket_type.updated" } });
    expect(audit.changes).toMatchObject({ isHidden: { from: true, to: false } });
  });

  test("not on the event page, not in live availability, not in the catalogue's price range", async () => {
    const { organization, event, type, speakers } = await world();
    await db.ticketType.update({ where: { id: speakers.id }, data: { priceCents: 10 } });
    const page = await getPublicEvent({ organizationSlug: organizationSlugOf(organization), slug: event.slug, viewerId: null });
    expect(page.ticketTypes.map((t) => t.id)).toEqual([type.id]);
    const live = await getPublicAvailability({ eventId: event.id, viewerId: null });
    expect(live.ticketTypes.map((t) => t.id)).toEqual([type.id]);
    const catalogue = await listCatalogue({ ...EMPTY_CATALOGUE_PARAMS, q: event.title }, { pageSize: 50 });
    const item = catalogue.items.find((i) => i.id === event.id)!;
    expect(item.price).toMatchObject({ min: 300_000, max: 300_000 });
  });

  test("the register page: hidden types only with their code; the discounted price; unknown codes counted per address", async () => {
    const { organization, owner, event, type, speakers } = await world();
    await createPromoCode({ actor: as(owner), input: form(event.id, { code: "SPEAKER-1", discountValue: "100", ticketTypeId: speakers.id }) });
    await createPromoCode({ actor: as(owner), input: form(event.id, { code: "MINUS25", discountValue: "25" }) });
    const ref = { actor: null, organizationSlug: organizationSlugOf(organization), eventSlug: event.slug };
    const plain = await getRegistrationFormPage(ref);
    expect(plain?.kind === "form" && plain.ticketTypes.map((t) => t.id)).toEqual([type.id]);

    const speaker = await getRegistrationFormPage({ ...ref, promoCode: "speaker-1", clientAddress: uniqueIp() });
    if (speaker?.kind !== "form") throw new Error("form expected");
    expect(speaker.promo).toEqual({ code: "SPEAKER-1", refusal: null });
    expect(speaker.ticketTypes.map((t) => [t.id, t.isHidden, t.promo])).toEqual([
      [type.id, false, null],
      [speakers.id, true, { priceCents: 0, discountCents: 0 }],
    ]);

    const discounted = await getRegistrationFormPage({ ...ref, promoCode: "MINUS25", clientAddress: uniqueIp() });
    if (discounted?.kind !== "form") throw new Error("form expected");
    expect(discounted.ticketTypes.map((t) => [t.id, t.promo])).toEqual([[type.id, { priceCents: 225_000, discountCents: 75_000 }]]);

    // Guessing: 20 unknown codes from one address, then the page says "too many attempts" even for a good code.
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) {
      const page = await getRegistrationFormPage({ ...ref, promoCode: `GUESS${i}`, clientAddress: ip });
      expect(page?.kind === "form" && page.promo?.refusal).toBe("unknown");
    }
    const limited = await getRegistrationFormPage({ ...ref, promoCode: "SPEAKER-1", clientAddress: ip });
    if (limited?.kind !== "form") throw new Error("form expected");
    expect(limited.promo?.refusal).toBe("attemptsLimited");
    expect(limited.ticketTypes.map((t) => t.id)).toEqual([type.id]);
    // Valid codes are not counted: another address uses the good code 25 times.
    const room = uniqueIp();
    for (let i = 0; i < 25; i++) {
      const page = await getRegistrationFormPage({ ...ref, promoCode: "MINUS25", clientAddress: room });
      expect(page?.kind === "form" && page.promo?.refusal).toBeNull();
    }
  });
});

describe("POST /api/v1/events/:eventId/registrations with a promoCode", () => {
  function call(event: Event, body: unknown, ip = uniqueIp()): Promise<Response> {
    const request = new Request(`http://localhost/api/v1/events/${event.id}/registrations`, {
      method: "POST",
      headers: fromClient(ip, { "content-type": "application/json", "accept-language": "en" }),
      body: JSON.stringify(body),
    });
    return POST(request, { params: Promise.resolve({ eventId: event.id }) });
  }
  const guest = (type: TicketType, extra: object = {}) => ({ ticketTypeId: type.id, firstName: "Гость", email: uniqueEmail("api-promo"), ...extra });

  test("the server's price: a price or discount in the body is ignored; the code's field error in the body; a hidden type without its code is 404", async () => {
    const { owner, event, type, speakers } = await world();
    await createPromoCode({ actor: as(owner), input: form(event.id, { code: "API25", discountValue: "25" }) });
    const ok = await call(event, guest(type, { promoCode: "api25", priceCents: 1, discountCents: 300_000, currency: "USD" }));
    expect(ok.status).toBe(201);
    const body = await ok.json();
    expect(body.registration).toMatchObject({ priceCents: 225_000, discountCents: 75_000, currency: "RUB" });

    const bad = await call(event, guest(type, { promoCode: "NOPE" }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors).toEqual({ promoCode: en.errors.unknown });

    const hidden = await call(event, guest(speakers));
    expect(hidden.status).toBe(404);
    const wrongCode = await call(event, guest(speakers, { promoCode: "API25" }));
    expect(wrongCode.status).toBe(400);
    expect((await wrongCode.json()).fieldErrors).toEqual({ promoCode: en.errors.otherType });
    expect(await db.registration.count({ where: { eventId: event.id } })).toBe(1);
    expect((await db.promoCode.findFirstOrThrow({ where: { eventId: event.id, code: "API25" } })).usedCount).toBe(1);
  });

  test("unknown codes through the sale count against the address too", async () => {
    const { event, type } = await world();
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) expect((await call(event, guest(type, { promoCode: `WRONG${i}` }), ip)).status).toBe(400);
    const res = await call(event, guest(type, { promoCode: "WRONG-MORE" }), ip);
    expect(res.status).toBe(429);
    expect(await db.registration.count({ where: { eventId: event.id } })).toBe(0);
  });
});

function organizationSlugOf(o: { slug: string }): string {
  return o.slug;
}
