// The scanner's list, format 2 (lib/check-in/manifest.ts + manifest-format.ts): compact rows equal the
// ordinary attendee rows, an incremental download merged into the phone's list equals a fresh full
// download, transactions that commit out of order are not missed, ETag → 304, a foreign cursor → the
// full list. Exact rows and answers, no timings.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as manifestRoute } from "@/app/api/check-in/[eventId]/manifest/route";
import { checkIn, getCompactManifest, searchAttendees, signDoorCookie, syncScans } from "@/lib/check-in";
import { mergeManifest, type StoredManifest } from "@/lib/check-in/manifest-format";
import { db } from "@/lib/db";
import type { Registration, User } from "@/lib/generated/prisma/client";
import { actorOf, type Actor } from "@/lib/permissions";
import { cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import { signTicket } from "@/lib/tickets/ticket-token";
import type { AttendeeRow, CheckInManifest, CompactManifest } from "@/lib/validation/check-in";
import { addMember, createEvent, createOrganization, createRegistration, createTicketType, createUser } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const nonce = () => `n-${randomUUID()}`;
const HOUR = 60 * 60 * 1000;
const qr = (reg: Pick<Registration, "eventId" | "id" | "confirmationCode">) =>
  signTicket({ eventId: reg.eventId, registrationId: reg.id, code: reg.confirmationCode });

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

async function setup() {
  const { organization, owner } = await createOrganization();
  const moderator = await createUser({ firstName: "Мария", lastName: "Модератор" });
  await addMember(organization, moderator, "MODERATOR");
  const event = await createEvent(organization, { publishedAt: new Date(Date.now() - 48 * HOUR) });
  const type = await createTicketType(event, { name: "Стандарт" });
  const vip = await createTicketType(event, { name: "VIP", sortOrder: 1 });
  return { organization, owner, moderator, event, type, vip };
}

type Principal = { actor: Actor; eventId: string };

/** What the phone does: GET manifest?format=2[&since=][If-None-Match], then merge (or keep on 304). */
async function download(principal: Principal, stored?: StoredManifest): Promise<{ list: StoredManifest; status: 200 | 304; answer?: CompactManifest }> {
  const answer = await getCompactManifest({ ...principal, since: stored?.cursor ?? null, ifNoneMatch: stored?.etag ?? null });
  if (answer.status === 304) return { list: stored!, status: 304 };
  const body = JSON.parse(answer.body) as CompactManifest;
  return { list: mergeManifest(stored, body, answer.etag), status: 200, answer: body };
}

/** A list without the parts that name when it was made. */
function content(list: StoredManifest) {
  const byId = [...list.attendees].sort((a, b) => a.registrationId.localeCompare(b.registrationId));
  return { event: list.event, viewer: list.viewer, attendees: byId, counters: { ...list.counters, at: "" }, key: list.publicKeySpki };
}

describe("manifest format 2", () => {
  test("the compact rows decode to the ordinary attendee rows (status, type, check-in, by whom, name); no emails", async () => {
    const { moderator, event, type, vip } = await setup();
    const a = await createRegistration(event, type, { firstName: "Анна", lastName: "Иванова", email: "anna-m@example.test" });
    const b = await createRegistration(event, vip, { firstName: "Борис", lastName: null });
    const c = await createRegistration(event, type, { status: "PENDING" });
    const d = await createRegistration(event, type, { status: "CANCELLED" });
    const e = await createRegistration(event, type, { status: "RESERVED", expiresAt: new Date(Date.now() - 60_000) });
    await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(a) } });
    const principal = { actor: as(moderator), eventId: event.id };
    const { list, answer } = await download(principal);
    expect(answer!.full).toBe(true);
    expect(answer!.ticketTypes).toEqual([{ id: type.id, name: "Стандарт" }, { id: vip.id, name: "VIP" }]);
    expect(answer!.rows.status).toHaveLength(5);
    expect(JSON.stringify(answer)).not.toContain("anna-m@example.test");

    // The same registrations through the ordinary path (toAttendee), by code.
    for (const reg of [a, b, c, d, e]) {
      const [ordinary] = (await searchAttendees({ ...principal, q: reg.confirmationCode })).results;
      const mine = list.attendees.find((x) => x.registrationId === reg.id)!;
      const at = (s: string | null) => (s ? Math.floor(Date.parse(s) / 1000) : null);
      expect({ ...mine, checkedInAt: at(mine.checkedInAt) }).toEqual({
        registrationId: ordinary.registrationId,
        code: ordinary.code,
        firstName: [ordinary.firstName, ordinary.lastName].filter(Boolean).join(" "),
        lastName: null,
        ticketTypeId: ordinary.ticketTypeId,
        ticketTypeName: ordinary.ticketTypeName,
        status: ordinary.status,
        checkedInAt: at(ordinary.checkedInAt),
        checkedInByName: ordinary.checkedInByName,
      } satisfies Omit<AttendeeRow, "checkedInAt"> & { checkedInAt: number | null });
    }
    expect(list.attendees.find((x) => x.registrationId === e.id)!.status).toBe("EXPIRED");
    expect(list.attendees.find((x) => x.registrationId === a.id)!.checkedInByName).toBe("Мария Модератор");
  });

  test("an unpaid prepayment remainder is due at the door: in the list (sparse, non-zero only), the scan and the search; paying it off reaches an incremental download", async () => {
    const { moderator, event, type } = await setup();
    await db.ticketType.update({ where: { id: type.id }, data: { priceCents: 500_000, prepaymentPercent: 70 } });
    const prepaid = await createRegistration(event, type, { firstName: "Пётр", lastName: "Предоплатов", priceCents: 500_000 } as never);
    const paid = await createRegistration(event, type, { firstName: "Олег", priceCents: 500_000 } as never);
    const free = await createRegistration(event, type, { firstName: "Вера" });
    const payment = async (registrationId: string, amountCents: number) =>
      db.payment.create({
        data: { organizationId: event.organizationId, registrationId, provider: "manual", status: "COMPLETED", amountCents, currency: "RUB", idempotencyKey: randomUUID() },
      });
    const p1 = await payment(prepaid.id, 350_000);
    const p2 = await payment(paid.id, 350_000);
    const due = new Date(Date.now() + 24 * HOUR);
    const pre = await db.prepayment.create({ data: { paymentId: p1.id, registrationId: prepaid.id, prepaidCents: 350_000, remainingCents: 150_000, dueDate: due } });
    await db.prepayment.create({ data: { paymentId: p2.id, registrationId: paid.id, prepaidCents: 350_000, remainingCents: 150_000, dueDate: due, status: "COMPLETED" } });
    const principal = { actor: as(moderator), eventId: event.id };

    const first = await download(principal);
    expect(first.answer!.rows.due).toHaveLength(1); // only the PARTIAL one, nothing for the paid or the free
    const [index, cents, currency] = first.answer!.rows.due![0];
    expect([first.answer!.rows.id[index], cents, currency]).toEqual([prepaid.id, 150_000, "RUB"]);
    const row = (list: StoredManifest, id: string) => list.attendees.find((x) => x.registrationId === id)!;
    expect(row(first.list, prepaid.id).due).toEqual({ cents: 150_000, currency: "RUB" });
    expect(row(first.list, paid.id).due).toBeUndefined();
    expect(row(first.list, free.id).due).toBeUndefined();

    // The online paths say the same (one fragment: DUE_AT_DOOR_SQL).
    const [found] = (await searchAttendees({ ...principal, q: prepaid.confirmationCode })).results;
    expect(found.due).toEqual({ cents: 150_000, currency: "RUB" });
    const scan = await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(prepaid) } });
    expect(scan.result).toBe("valid");
    expect("attendee" in scan && scan.attendee?.due).toEqual({ cents: 150_000, currency: "RUB" });

    // The remainder paid: the prepayment's change stamps the registration, so the next incremental download drops the amount.
    await db.prepayment.update({ where: { id: pre.id }, data: { status: "COMPLETED", remainingCents: 0, completedAt: new Date() } });
    const next = await download(principal, first.list);
    expect(next.answer!.full).toBe(false);
    expect(next.answer!.rows.id).toContain(prepaid.id);
    expect(row(next.list, prepaid.id).due).toBeUndefined();
    expect(content(next.list)).toEqual(content((await download(principal)).list));
  });

  test("full → register, cancel, check in, an earlier offline scan → since the cursor: merged equals a fresh full download", async () => {
    const { owner, moderator, event, type, vip } = await setup();
    const regs = await Promise.all([0, 1, 2, 3].map((i) => createRegistration(event, i % 2 ? vip : type, { firstName: `Гость${i}` })));
    const principal = { actor: as(moderator), eventId: event.id };
    const first = await download(principal);
    expect(first.list.attendees).toHaveLength(4);

    const added = await createRegistration(event, vip, { firstName: "Новый", lastName: "Участник" });
    await cancelRegistrationAsOrganizer({ actor: as(owner), registrationId: regs[0].id, reason: "по просьбе" });
    await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(regs[1]) } });
    // Checked in online by the moderator, then an earlier offline scan by the owner syncs: only the
    // check_ins row changes (its time and who), which the trigger stamps on the registration.
    await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "QR_SCAN", payload: qr(regs[2]) } });
    await syncScans({
      actor: as(owner),
      eventId: event.id,
      body: { scans: [{ nonce: nonce(), method: "QR_SCAN", payload: qr(regs[2]), deviceId: "B", scannedAt: new Date(Date.now() - 60_000).toISOString() }] },
    });
    await db.ticketType.update({ where: { id: vip.id }, data: { name: "VIP+" } });

    const second = await download(principal, first.list);
    expect(second.answer!.full).toBe(false);
    // Only what changed travels (the untouched regs[3] does not).
    expect(new Set(second.answer!.rows.id)).toEqual(new Set([added.id, regs[0].id, regs[1].id, regs[2].id]));
    const fresh = await download(principal);
    expect(content(second.list)).toEqual(content(fresh.list));
    const byId = new Map(second.list.attendees.map((x) => [x.registrationId, x]));
    expect(byId.get(regs[0].id)!.status).toBe("CANCELLED");
    expect(byId.get(regs[1].id)!.status).toBe("CHECKED_IN");
    expect(byId.get(regs[2].id)!.checkedInByName).toBe([owner.firstName, owner.lastName].filter(Boolean).join(" "));
    expect(byId.get(regs[3].id)!.ticketTypeName).toBe("VIP+");
    expect(byId.get(added.id)!.firstName).toBe("Новый Участник");
  });

  test("transactions that commit out of order around a download are not missed", async () => {
    const { moderator, event, type } = await setup();
    const [early, late] = await Promise.all([createRegistration(event, type), createRegistration(event, type)]);
    const principal = { actor: as(moderator), eventId: event.id };
    const first = await download(principal);

    // A: begins and writes first (the lower transaction id), commits only after the next download.
    await client.query("BEGIN");
    await client.query(`UPDATE registrations SET first_name = 'Поздний коммит' WHERE id = $1`, [early.id]);
    // B: a later transaction (higher id) that commits before the download.
    await db.registration.update({ where: { id: late.id }, data: { firstName: "Ранний коммит" } });
    const second = await download(principal, first.list);
    expect(second.answer!.rows.id).toEqual([late.id]);
    await client.query("COMMIT");

    // "The highest stamp seen" would now skip A (its id is below B's); the snapshot's xmin does not.
    const third = await download(principal, second.list);
    expect(third.answer!.rows.id).toContain(early.id);
    expect(third.list.attendees.find((x) => x.registrationId === early.id)!.firstName).toBe("Поздний коммит Тестовый");
    expect(content(third.list)).toEqual(content((await download(principal)).list));
  });

  test("If-None-Match: 304 while nothing changed, 200 after a change; a cursor from elsewhere gets the full list; a bad cursor is refused", async () => {
    const { moderator, event, type } = await setup();
    const reg = await createRegistration(event, type);
    const principal = { actor: as(moderator), eventId: event.id };
    const first = await download(principal);
    // The first incremental answer (no rows) differs from the full one; the next is the same: 304.
    const second = await download(principal, first.list);
    expect(second.status).toBe(200);
    expect(second.answer!.rows.id).toEqual([]);
    const third = await download(principal, second.list);
    expect(third.status).toBe(304);
    await checkIn({ actor: as(moderator), eventId: event.id, scan: { nonce: nonce(), method: "MANUAL", registrationId: reg.id } });
    const fourth = await download(principal, third.list);
    expect(fourth.status).toBe(200);
    expect(fourth.list.attendees[0].status).toBe("CHECKED_IN");

    const foreign = await getCompactManifest({ ...principal, since: "99999999999999" });
    expect(foreign.status === 200 && (JSON.parse(foreign.body) as CompactManifest).full).toBe(true);
    await expect(getCompactManifest({ ...principal, since: "12; DROP" })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  test("the route: ETag, Content-Length, no-store; since + If-None-Match → 304 without a body; a bad cursor → 400; without format=2 → format 1", async () => {
    const { owner, event, type } = await setup();
    await createRegistration(event, type, { firstName: "Анна", lastName: "Дверная" });
    const access = await db.eventStaffAccess.create({
      data: { eventId: event.id, label: "Вход Б", tokenHash: randomUUID().replace(/-/g, ""), createdById: owner.id, expiresAt: new Date(Date.now() + HOUR) },
    });
    const cookie = `aq_door_${event.id}=${signDoorCookie({ id: access.id, eventId: event.id, expiresAt: access.expiresAt })}`;
    const get = (query: string, headers: Record<string, string> = {}) =>
      manifestRoute(new Request(`http://checkin.test/api/check-in/${event.id}/manifest${query}`, { headers: { cookie, "accept-language": "en", ...headers } }), {
        params: Promise.resolve({ eventId: event.id }),
      });

    const full = await get("?format=2");
    expect(full.status).toBe(200);
    const text = await full.text();
    expect(full.headers.get("content-type")).toBe("application/json");
    expect(full.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(full.headers.get("cache-control")).toBe("no-store");
    expect(full.headers.get("etag")).toMatch(/^W\/"m2-[A-Za-z0-9_-]+"$/);
    const body = JSON.parse(text) as CompactManifest;
    expect(body).toMatchObject({ format: 2, full: true, viewer: { kind: "door", name: "Вход Б" }, rows: { name: ["Анна Дверная"] } });

    const first = await get(`?format=2&since=${body.cursor}`);
    const firstBody = (await first.json()) as CompactManifest;
    expect(firstBody.full).toBe(false);
    const again = await get(`?format=2&since=${firstBody.cursor}`, { "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await again.text()).toBe("");

    const bad = await get("?format=2&since=abc");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: "VALIDATION" });

    const legacy = (await (await get("")).json()) as CheckInManifest;
    expect(legacy.attendees.map((a) => a.firstName)).toEqual(["Анна Дверная"]);
  });
});
