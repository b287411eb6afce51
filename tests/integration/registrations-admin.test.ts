// The organizer's registrations view against a real PostgreSQL: search (name, email, code), filters,
// stable pagination, counts per status, the CSV export (BOM, header, extra fields, quoting, formula
// guard, event time zone), tenant scoping and who may read it.
import { encode } from "next-auth/jwt";
import { describe, expect, test } from "vitest";
import { GET as csvRoute } from "@/app/api/events/[eventId]/registrations.csv/route";
import { db } from "@/lib/db";
import { authSecret } from "@/lib/env";
import { createSessionForUser } from "@/lib/identity/user-sessions";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import { markPaid } from "@/lib/payments/manual";
import { actorOf, type Actor } from "@/lib/permissions";
import {
  countRegistrationsByStatus,
  csvCell,
  exportRegistrationsCsv,
  listEventRegistrations,
  normalizeCodeQuery,
  parseRegistrationSearchParams,
} from "@/lib/registrations/admin";
import { cancelRegistrationAsOrganizer } from "@/lib/registrations/cancel";
import {
  addMember,
  createEvent,
  createOrganization,
  createRegistration,
  createTicketType,
  createUser,
  uniqueIdempotencyKey,
} from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;

async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** Parses our CSV (RFC 4180, CRLF) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const FIELDS = [
  { key: "company", label: "Компания", type: "text", required: false },
  { key: "size", label: "Размер футболки", type: "select", required: false, options: ["S", "M", "L"] },
  { key: "agree", label: "Согласие на фото", type: "checkbox", required: false },
];

async function world() {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, { timezone: "Asia/Vladivostok", settings: { registrationFields: FIELDS } as never });
  const free = await createTicketType(event, { name: "Бесплатный", sortOrder: 0 });
  const paid = await createTicketType(event, { name: "Платный", priceCents: 150_000, sortOrder: 1 });
  const anna = await createUser({ firstName: "Анна", lastName: "Иванова" });
  const ivan = await createUser({ firstName: "Иван", lastName: "Петров" });
  const t0 = Date.now() - 10 * 60_000;
  const at = (i: number) => new Date(t0 + i * 1000);
  const rAnna = await createRegistration(event, free, {
    user: anna,
    createdAt: at(1),
    customFields: { company: '=HYPERLINK("http://evil")', size: "M", agree: true },
  });
  const rIvan = await createRegistration(event, paid, { user: ivan, status: "PENDING", createdAt: at(2), customFields: { company: 'ООО "Ромашка", Москва' } });
  const rGuest = await createRegistration(event, free, {
    firstName: "Елена",
    lastName: "Гостева",
    email: "elena.guest@example.com",
    createdAt: at(3),
    customFields: { company: "line1\nline2", agree: false },
  });
  const rCancelled = await createRegistration(event, paid, { user: await createUser({ firstName: "Пётр", lastName: "Отменов" }), status: "CANCELLED", createdAt: at(4) });
  return { organization, owner, event, free, paid, anna, ivan, rAnna, rIvan, rGuest, rCancelled };
}

describe("listEventRegistrations", () => {
  test("newest first; search by name (either order, any case, trimmed), email, code (normalized); filters by status and type", async () => {
    const w = await world();
    const scope = { actor: as(w.owner), organizationSlug: w.organization.slug, eventId: w.event.id };
    const all = await listEventRegistrations({ ...scope, page: 1, pageSize: 25 });
    expect(all.items.map((r) => r.id)).toEqual([w.rCancelled.id, w.rGuest.id, w.rIvan.id, w.rAnna.id]);
    expect(all).toMatchObject({ total: 4, page: 1, totalPages: 1, viewer: { canManage: true } });
    expect(all.event.ticketTypes.map((t) => t.name)).toEqual(["Бесплатный", "Платный"]);
    expect(all.event.registrationFields.map((f) => f.label)).toEqual(["Компания", "Размер футболки", "Согласие на фото"]);

    const ids = async (filters: Record<string, unknown>) =>
      (await listEventRegistrations({ ...scope, ...filters, page: 1 })).items.map((r) => r.id);
    expect(await ids({ q: "  анна  " })).toEqual([w.rAnna.id]);
    expect(await ids({ q: "ИВАНОВА анна" })).toEqual([w.rAnna.id]);
    expect(await ids({ q: "Иван Петров" })).toEqual([w.rIvan.id]);
    expect(await ids({ q: "ELENA.Guest@example" })).toEqual([w.rGuest.id]);
    expect(await ids({ q: w.rIvan.confirmationCode.toLowerCase() })).toEqual([w.rIvan.id]);
    const code = w.rGuest.confirmationCode;
    expect(await ids({ q: ` ${code.slice(0, 4)}-${code.slice(4)} ` })).toEqual([w.rGuest.id]);
    expect(await ids({ q: "%" })).toEqual([]); // wildcards are literal
    expect(await ids({ q: "_" })).toEqual([]);
    expect(await ids({ status: "PENDING" })).toEqual([w.rIvan.id]);
    expect(await ids({ ticketTypeId: w.paid.id })).toEqual([w.rCancelled.id, w.rIvan.id]);
    expect(await ids({ ticketTypeId: w.paid.id, status: "CANCELLED" })).toEqual([w.rCancelled.id]);
    expect(await ids({ ticketTypeId: "not-a-uuid" })).toEqual([]);

    // The PENDING row carries what "mark paid" will record (full price here).
    const ivanRow = all.items.find((r) => r.id === w.rIvan.id)!;
    expect(ivanRow.amountDue).toEqual({ kind: "FULL", amountCents: 150_000, remainingCents: 0, fullPriceCents: 150_000 });
    expect(all.items.find((r) => r.id === w.rAnna.id)!.amountDue).toBeNull();
    expect(all.items.find((r) => r.id === w.rGuest.id)!.isGuest).toBe(true);
  });

  test("pagination is stable (ties on created_at broken by id) and a page past the end answers the last page", async () => {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event);
    const same = new Date(Date.now() - 60_000);
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await createRegistration(event, type, { user: await createUser(), createdAt: same }));
    const scope = { actor: as(owner), organizationId: organization.id, eventId: event.id, pageSize: 3 };
    const pages = await Promise.all([1, 2, 3].map((page) => listEventRegistrations({ ...scope, page })));
    const seen = pages.flatMap((p) => p.items.map((r) => r.id));
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...created.map((r) => r.id)].sort().reverse());
    expect(pages.map((p) => p.totalPages)).toEqual([3, 3, 3]);
    const beyond = await listEventRegistrations({ ...scope, page: 99 });
    expect(beyond.page).toBe(3);
    expect(beyond.items.map((r) => r.id)).toEqual(pages[2].items.map((r) => r.id));
  });

  test("a RESERVED registration past expires_at is flagged expired and offers nothing to pay; a prepayment type offers its share", async () => {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization);
    const type = await createTicketType(event, { priceCents: 10_001, prepaymentPercent: 30, reservationMinutes: 30 });
    const live = await createRegistration(event, type, { user: await createUser(), status: "RESERVED" });
    const late = await createRegistration(event, type, { user: await createUser(), status: "RESERVED", expiresAt: new Date(Date.now() - 1000) });
    const list = await listEventRegistrations({ actor: as(owner), organizationId: organization.id, eventId: event.id, page: 1 });
    const byId = new Map(list.items.map((r) => [r.id, r]));
    expect(byId.get(live.id)).toMatchObject({ expired: false, amountDue: { kind: "PREPAYMENT", amountCents: 3001, remainingCents: 7000, fullPriceCents: 10_001 } });
    expect(byId.get(late.id)).toMatchObject({ expired: true, amountDue: null });

    await markPaid({ actor: as(owner), registrationId: live.id, idempotencyKey: uniqueIdempotencyKey() });
    const after = await listEventRegistrations({ actor: as(owner), organizationId: organization.id, eventId: event.id, q: live.confirmationCode, page: 1 });
    expect(after.items[0]).toMatchObject({ status: "CONFIRMED", paidCents: 3001, prepayment: { status: "PARTIAL", prepaidCents: 3001, remainingCents: 7000 } });
  });

  test("tenant scoping: another organization's event is NOT_FOUND, even for its own staff through the wrong slug", async () => {
    const w = await world();
    const other = await createOrganization();
    const otherEvent = await createEvent(other.organization);
    // The owner of A asks for B's event through A's slug, or B's slug (not a member): not found.
    await expectAppError(listEventRegistrations({ actor: as(w.owner), organizationSlug: w.organization.slug, eventId: otherEvent.id, page: 1 }), "NOT_FOUND");
    await expectAppError(listEventRegistrations({ actor: as(w.owner), organizationSlug: other.organization.slug, eventId: otherEvent.id, page: 1 }), "NOT_FOUND");
    await expectAppError(listEventRegistrations({ actor: as(w.owner), eventId: otherEvent.id, page: 1 }), "NOT_FOUND");
    // B's owner asks for A's event through B's slug: not found (the event is not B's).
    await expectAppError(listEventRegistrations({ actor: as(other.owner), organizationSlug: other.organization.slug, eventId: w.event.id, page: 1 }), "NOT_FOUND");
    await expectAppError(countRegistrationsByStatus({ actor: as(other.owner), organizationId: other.organization.id, eventId: w.event.id }), "NOT_FOUND");
    await expectAppError(exportRegistrationsCsv({ actor: as(other.owner), eventId: w.event.id }), "NOT_FOUND");
    // A participant (not a member) and a malformed id.
    await expectAppError(listEventRegistrations({ actor: as(w.anna), organizationSlug: w.organization.slug, eventId: w.event.id, page: 1 }), "NOT_FOUND");
    await expectAppError(listEventRegistrations({ actor: as(w.owner), organizationSlug: w.organization.slug, eventId: "nope", page: 1 }), "NOT_FOUND");
    // A deleted event.
    await db.event.update({ where: { id: otherEvent.id }, data: { deletedAt: new Date() } });
    await expectAppError(listEventRegistrations({ actor: as(other.owner), organizationSlug: other.organization.slug, eventId: otherEvent.id, page: 1 }), "NOT_FOUND");
  });

  test("a MODERATOR may read and export; anonymous → UNAUTHENTICATED", async () => {
    const w = await world();
    const moderator = await createUser();
    await addMember(w.organization, moderator, "MODERATOR", w.owner);
    const list = await listEventRegistrations({ actor: as(moderator), organizationSlug: w.organization.slug, eventId: w.event.id, page: 1 });
    expect(list.total).toBe(4);
    expect(list.viewer.canManage).toBe(true);
    const csv = await exportRegistrationsCsv({ actor: as(moderator), organizationSlug: w.organization.slug, eventId: w.event.id });
    expect(csv.rows).toBe(4);
    await expectAppError(listEventRegistrations({ actor: null, organizationSlug: w.organization.slug, eventId: w.event.id, page: 1 }), "UNAUTHENTICATED");
    await expectAppError(countRegistrationsByStatus({ actor: undefined, eventId: w.event.id }), "UNAUTHENTICATED");
    await expectAppError(exportRegistrationsCsv({ actor: null, eventId: w.event.id }), "UNAUTHENTICATED");
  });
});

describe("countRegistrationsByStatus", () => {
  test("counts per status for the event, honouring search and type but not the status filter", async () => {
    const w = await world();
    const scope = { actor: as(w.owner), organizationSlug: w.organization.slug, eventId: w.event.id };
    expect(await countRegistrationsByStatus(scope)).toEqual({ RESERVED: 0, PENDING: 1, CONFIRMED: 2, CHECKED_IN: 0, CANCELLED: 1, EXPIRED: 0, total: 4 });
    expect(await countRegistrationsByStatus({ ...scope, status: "PENDING" })).toMatchObject({ CONFIRMED: 2, total: 4 });
    expect(await countRegistrationsByStatus({ ...scope, ticketTypeId: w.paid.id })).toMatchObject({ PENDING: 1, CANCELLED: 1, CONFIRMED: 0, total: 2 });
    expect(await countRegistrationsByStatus({ ...scope, q: "анна" })).toMatchObject({ CONFIRMED: 1, total: 1 });

    // The organizer cancels Ivan's: the counts follow.
    await cancelRegistrationAsOrganizer({ actor: as(w.owner), registrationId: w.rIvan.id, reason: "Дубль" });
    expect(await countRegistrationsByStatus(scope)).toMatchObject({ PENDING: 0, CANCELLED: 2, total: 4 });
  });
});

describe("exportRegistrationsCsv", () => {
  test("UTF-8 BOM, header with every field and the extra field labels, quoting, formula guard, event time zone", async () => {
    const w = await world();
    await markPaid({ actor: as(w.owner), registrationId: w.rIvan.id, idempotencyKey: uniqueIdempotencyKey() });
    await cancelRegistrationAsOrganizer({ actor: as(w.owner), registrationId: w.rIvan.id, reason: "+7 звонил, просил отменить" });
    const createdAt = new Date("2027-01-15T00:30:00.000Z"); // 10:30 in Vladivostok (UTC+10)
    await db.registration.update({ where: { id: w.rAnna.id }, data: { createdAt } });

    const { csv, filename, rows } = await exportRegistrationsCsv({ actor: as(w.owner), organizationSlug: w.organization.slug, eventId: w.event.id, locale: "ru" });
    expect(filename).toBe(`${w.event.slug}-registrations.csv`);
    expect(rows).toBe(4);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const table = parseCsv(csv.slice(1));
    const [header, ...body] = table;
    expect(header).toEqual([
      "Код",
      "Статус",
      "Имя",
      "Фамилия",
      "Email",
      "Тип билета",
      "Цена",
      "Валюта",
      "Оплачено",
      "Предоплата",
      "Осталось доплатить",
      "К возврату",
      "Создана (Asia/Vladivostok)",
      "Подтверждена (Asia/Vladivostok)",
      "Отменена (Asia/Vladivostok)",
      "Причина отмены",
      "Пришёл (Asia/Vladivostok)",
      "Гость",
      "Компания",
      "Размер футболки",
      "Согласие на фото",
    ]);
    expect(body).toHaveLength(4);
    for (const line of body) expect(line).toHaveLength(header.length);
    const byCode = new Map(body.map((line) => [line[0], Object.fromEntries(header.map((h, i) => [h, line[i]]))]));

    const anna = byCode.get(w.rAnna.confirmationCode)!;
    expect(anna).toMatchObject({ Статус: "Подтверждена", Имя: "Анна", "Тип билета": "Бесплатный", Цена: "0.00", Валюта: "RUB", Гость: "нет" });
    expect(anna["Создана (Asia/Vladivostok)"]).toBe("2027-01-15 10:30:00");
    expect(anna["Компания"]).toBe(`'=HYPERLINK("http://evil")`); // formula guard
    expect(anna["Размер футболки"]).toBe("M");
    expect(anna["Согласие на фото"]).toBe("да");

    const ivan = byCode.get(w.rIvan.confirmationCode)!;
    expect(ivan).toMatchObject({ Статус: "Отменена", Цена: "1500.00", Оплачено: "1500.00", "К возврату": "1500.00", Компания: 'ООО "Ромашка", Москва' });
    expect(ivan["Причина отмены"]).toBe("'+7 звонил, просил отменить");
    expect(ivan["Отменена (Asia/Vladivostok)"]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const guest = byCode.get(w.rGuest.confirmationCode)!;
    expect(guest).toMatchObject({ Гость: "да", Email: "elena.guest@example.com", Компания: "line1\nline2", "Согласие на фото": "нет", "Размер футболки": "" });

    // Raw quoting: a quote doubled, the cell with a comma/newline quoted.
    expect(csv).toContain(`"ООО ""Ромашка"", Москва"`);
    expect(csv).toContain(`"line1\nline2"`);

    // English headers, and the filters apply to the file.
    const en = await exportRegistrationsCsv({ actor: as(w.owner), eventId: w.event.id, locale: "en", q: "елена" });
    const enTable = parseCsv(en.csv.slice(1));
    expect(enTable[0].slice(0, 3)).toEqual(["Code", "Status", "First name"]);
    expect(enTable[0].slice(-3)).toEqual(["Компания", "Размер футболки", "Согласие на фото"]);
    expect(enTable).toHaveLength(2);
    expect(enTable[1][0]).toBe(w.rGuest.confirmationCode);
    expect(enTable[1][enTable[0].indexOf("Guest")]).toBe("yes");

    // The export is audited (personal data).
    const audits = await db.auditLog.findMany({ where: { entityId: w.event.id, action: "registrations.exported" } });
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.actorId === w.owner.id && a.organizationId === w.organization.id)).toBe(true);
  });
});

describe("helpers", () => {
  test("csvCell quotes and guards; codes and search params are normalized", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe(`"'\rx"`);
    expect(csvCell(null)).toBe("");
    expect(normalizeCodeQuery(" ab2c-d3ef ")).toBe("AB2CD3EF");
    expect(normalizeCodeQuery("Анна")).toBeNull();
    expect(parseRegistrationSearchParams({ q: "  x ", status: "PENDING", ticketType: "bad", page: "2" })).toEqual({ q: "x", status: "PENDING", ticketTypeId: null, page: 2 });
    expect(parseRegistrationSearchParams(new URLSearchParams("status=NOPE&page=-1"))).toEqual({ q: null, status: null, ticketTypeId: null, page: 1 });
  });
});

describe("GET /api/events/:eventId/registrations.csv", () => {
  const COOKIE = "authjs.session-token";
  async function cookieFor(user: User): Promise<string> {
    const session = await createSessionForUser(user.id);
    const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
    return `${COOKIE}=${token}`;
  }
  const get = (eventId: string, query: string, headers: Record<string, string> = {}) =>
    csvRoute(new Request(`http://localhost/api/events/${eventId}/registrations.csv${query}`, { headers }), { params: Promise.resolve({ eventId }) });

  test("session cookie → attachment named after the event slug, filters from the query, headers in the UI language", async () => {
    const w = await world();
    const res = await get(w.event.id, "?q=%D0%B0%D0%BD%D0%BD%D0%B0&status=CONFIRMED", { cookie: `${await cookieFor(w.owner)}; locale=en` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${w.event.slug}-registrations.csv"`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    expect(table[0][0]).toBe("Code");
    expect(table.slice(1).map((r) => r[0])).toEqual([w.rAnna.confirmationCode]);
  });

  test("anonymous → 401 JSON; another tenant's staff → 404; nothing exported", async () => {
    const w = await world();
    const anonymous = await get(w.event.id, "");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    const other = await createOrganization();
    const foreign = await get(w.event.id, "", { cookie: await cookieFor(other.owner) });
    expect(foreign.status).toBe(404);
    expect(await db.auditLog.count({ where: { entityId: w.event.id, action: "registrations.exported" } })).toBe(0);
  });
});
