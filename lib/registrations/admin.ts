// The organizer's registrations view of one event (issue #6, item 8): the list with search, filters
// and pagination, the counts per status, and the CSV export. Read-only services; the row actions
// (cancel, mark paid, record the remainder) are the existing services in ./cancel and lib/payments.
//
// - Authorization: `registrations.view` on the event's organization. The organization comes from the
//   URL (slug) or an id, and the event must belong to it: an event of another organization (or a
//   deleted one, or a malformed id) is NOT_FOUND — as is an organization the actor is not a member of.
//   Without an organization reference the event's own organization is authorized (the CSV route).
// - Search (`q`): trimmed, case-insensitive, ≤ 200 characters; matches the first name, the last name,
//   "first last" / "last first", the email (contains), or the confirmation code (the query upper-cased
//   with spaces and hyphens removed, contains). LIKE wildcards in the query are matched literally.
// - Filters: `status` (a RegistrationStatus; "RESERVED" includes reservations past expires_at not yet
//   swept, flagged `expired`), `ticketTypeId` (a type of this event; anything else matches nothing).
// - Order: newest first (`created_at DESC, id DESC` — the id breaks ties, so pages never overlap).
// - Counts per status honour `q` and `ticketTypeId` but ignore `status` (the chips of the view).
// - CSV: see exportRegistrationsCsv and docs/registrations.md ("Organizer view and CSV").
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, Prisma, type DbClient } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RegistrationStatus } from "@/lib/generated/prisma/enums";
import type { Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { planFirstPayment } from "@/lib/payments";
import {
  authorizeEvent,
  authorizeOrganization,
  authorizeOrganizationBySlug,
  isUuid,
  requireActor,
  roleCan,
  type Actor,
  type OrganizationAccess,
} from "@/lib/permissions";
import { CSV_BOM, csvLine, formatZoned } from "@/lib/http/csv";
import { REGISTRATION_SEARCH_TEXT, searchPattern } from "./search-sql";
import { fromMinorUnits, readEventSettings, type RegistrationFieldDefinition } from "@/lib/validation/events";

export const REGISTRATION_STATUSES = ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN", "CANCELLED", "EXPIRED"] as const satisfies readonly RegistrationStatus[];
export const ADMIN_PAGE_SIZE_DEFAULT = 25;
export const ADMIN_PAGE_SIZE_MAX = 100;
export const ADMIN_SEARCH_MAX = 200;
// The CSV rules (separator, BOM, quoting, formula-injection guard) are lib/http/csv.ts, shared with the payments export.
export { CSV_BOM, CSV_DELIMITER, csvCell, csvLine, formatZoned } from "@/lib/http/csv";

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");

// ───────────────────────────── input ─────────────────────────────

export type RegistrationFilters = {
  /** Name, email or confirmation code. */
  q?: string | null;
  status?: RegistrationStatus | null;
  ticketTypeId?: string | null;
};

/** Where the event is looked up: the organization of the URL (slug), an id, or (neither) the event's own. */
export type EventScope = {
  actor: Actor | null | undefined;
  eventId: string;
  organizationSlug?: string | null;
  organizationId?: string | null;
  /** The permission checked on the event's organization (default `registrations.view`; the analytics exports use `analytics.view`). */
  permission?: "registrations.view" | "analytics.view";
};

export function isRegistrationStatus(value: unknown): value is RegistrationStatus {
  return typeof value === "string" && (REGISTRATION_STATUSES as readonly string[]).includes(value);
}

const first = (v: string | string[] | null | undefined) => (Array.isArray(v) ? v[0] : v) ?? undefined;

/**
 * URL search parameters (`?q=&status=&ticketType=&page=`) → filters and a page. Lenient: an unknown
 * status, a malformed type id or page is simply ignored (a linkable view never errors on a bad link).
 */
export function parseRegistrationSearchParams(params: Record<string, string | string[] | undefined> | URLSearchParams): RegistrationFilters & { page: number } {
  const get = (key: string) => (params instanceof URLSearchParams ? (params.get(key) ?? undefined) : first(params[key]));
  const q = get("q")?.trim().slice(0, ADMIN_SEARCH_MAX) || null;
  const status = get("status");
  const ticketType = get("ticketType");
  const page = Number.parseInt(get("page") ?? "", 10);
  return {
    q,
    status: isRegistrationStatus(status) ? status : null,
    ticketTypeId: ticketType && isUuid(ticketType) ? ticketType.toLowerCase() : null,
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

// ───────────────────────────── the event ─────────────────────────────

export type AdminEvent = {
  id: string;
  organizationId: string;
  organizationSlug: string;
  slug: string;
  title: string;
  status: "DRAFT" | "PUBLISHED" | "CANCELLED" | "COMPLETED";
  startsAt: Date;
  timezone: string;
  registrationFields: RegistrationFieldDefinition[];
  ticketTypes: { id: string; name: string; priceCents: number; currency: "RUB" | "USD" | "EUR"; prepaymentPercent: number | null }[];
};

export type AdminViewer = { canManage: boolean };

async function loadScopedEvent(scope: EventScope, tx: DbClient = db): Promise<{ event: AdminEvent; access: OrganizationAccess }> {
  requireActor(scope.actor);
  const permission = scope.permission ?? "registrations.view";
  let access: OrganizationAccess;
  if (scope.organizationSlug) {
    access = await authorizeOrganizationBySlug({ actor: scope.actor, slug: scope.organizationSlug, permission, tx });
  } else if (scope.organizationId) {
    access = await authorizeOrganization({ actor: scope.actor, organizationId: scope.organizationId, permission, tx });
  } else {
    access = await authorizeEvent({ actor: scope.actor, eventId: scope.eventId, permission, tx });
  }
  if (!isUuid(scope.eventId)) throw notFound();
  const row = await tx.event.findFirst({
    where: { id: scope.eventId, organizationId: access.organization.id, deletedAt: null },
    select: {
      id: true,
      organizationId: true,
      slug: true,
      title: true,
      status: true,
      startsAt: true,
      timezone: true,
      settings: true,
      ticketTypes: {
        select: { id: true, name: true, priceCents: true, currency: true, prepaymentPercent: true },
        orderBy: [{ sortOrder: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      },
    },
  });
  if (!row) throw notFound();
  const { settings, ...rest } = row;
  return {
    access,
    event: { ...rest, organizationSlug: access.organization.slug, registrationFields: readEventSettings(settings).registrationFields },
  };
}

// ───────────────────────────── the filter SQL ─────────────────────────────

const SEARCH_TEXT = Prisma.raw(REGISTRATION_SEARCH_TEXT);

/** The query as a confirmation code fragment (upper-case, spaces/hyphens removed), or null. */
export function normalizeCodeQuery(q: string): string | null {
  const code = q.toUpperCase().replace(/[\s-]+/g, "");
  return /^[A-Z0-9]{2,8}$/.test(code) ? code : null;
}

/** The search condition of the list, counts and CSV (`AND (…)`, or nothing without `q`). Exported for the plan test. */
export function searchSql(q: string | null | undefined): Prisma.Sql {
  const text = q?.trim().slice(0, ADMIN_SEARCH_MAX);
  if (!text) return Prisma.empty;
  const code = normalizeCodeQuery(text);
  // One trigram-indexed expression holds every name form and the email (./search-sql.ts).
  return Prisma.sql`AND (${SEARCH_TEXT} ILIKE ${searchPattern(text)}
   ${code ? Prisma.sql`OR r.confirmation_code LIKE ${`%${code}%`}` : Prisma.empty})`;
}

function filterSql(event: AdminEvent, filters: RegistrationFilters, options: { withStatus: boolean }): Prisma.Sql {
  const ticketTypeId = filters.ticketTypeId?.trim();
  // A type id that is not a uuid can match nothing (and must never reach a ::uuid cast).
  const typeSql = ticketTypeId
    ? isUuid(ticketTypeId)
      ? Prisma.sql`AND r.ticket_type_id = ${ticketTypeId}::uuid`
      : Prisma.sql`AND false`
    : Prisma.empty;
  const status = options.withStatus ? filters.status : null;
  if (status && !isRegistrationStatus(status)) throw new AppError("VALIDATION", "errors.validation", { status: "registrationsAdmin.errors.statusInvalid" });
  return Prisma.sql`r.event_id = ${event.id}::uuid AND r.tenant_id = ${event.organizationId}::uuid
    ${status ? Prisma.sql`AND r.status = ${status}::"RegistrationStatus"` : Prisma.empty}
    ${typeSql}
    ${searchSql(filters.q)}`;
}

// ───────────────────────────── rows ─────────────────────────────

export type AdminRegistration = {
  id: string;
  confirmationCode: string;
  status: RegistrationStatus;
  /** RESERVED past expires_at (the sweep has not run yet): holds no seat, cannot be paid. */
  expired: boolean;
  firstName: string;
  lastName: string | null;
  email: string | null;
  isGuest: boolean;
  ticketTypeId: string;
  ticketTypeName: string;
  /** Price and currency at the moment of sale. */
  priceCents: number;
  currency: "RUB" | "USD" | "EUR";
  /** COMPLETED payments. */
  paidCents: number;
  /** PENDING refunds (recorded when a paid registration was cancelled). */
  refundDueCents: number;
  prepayment: { status: "PARTIAL" | "COMPLETED"; prepaidCents: number; remainingCents: number; dueDate: Date } | null;
  /**
   * What "mark paid" records by default for a RESERVED/PENDING registration that can still be paid —
   * the full price, or the minimum prepayment when the type asks for one — else null.
   */
  amountDue: { kind: "FULL" | "PREPAYMENT"; amountCents: number; remainingCents: number; fullPriceCents: number } | null;
  customFields: Record<string, unknown>;
  expiresAt: Date | null;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: string | null;
  checkedInAt: Date | null;
};

type Row = {
  id: string;
  confirmation_code: string;
  status: RegistrationStatus;
  expired: boolean;
  first_name: string;
  last_name: string | null;
  email: string | null;
  user_id: string | null;
  ticket_type_id: string;
  ticket_type_name: string;
  prepayment_percent: number | null;
  price_cents: number;
  currency: "RUB" | "USD" | "EUR";
  custom_fields: unknown;
  expires_at: Date | null;
  created_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  cancellation_reason: string | null;
  checked_in_at: Date | null;
  /** All matches of the filters (not only this page). */
  total_count: number;
  paid_cents: number;
  refund_due_cents: number;
  prepayment_status: "PARTIAL" | "COMPLETED" | null;
  prepaid_cents: number | null;
  remaining_cents: number | null;
  due_date: Date | null;
};

// The columns of a row (over the filtered registrations r): the list, the CSV and the keyset export read the same.
const ROW_COLUMNS = Prisma.sql`r.id, r.confirmation_code, r.status::text AS status, (r.status = 'RESERVED' AND r.expires_at <= now()) AS expired,
           r.first_name, r.last_name, r.email, r.user_id, r.ticket_type_id, t.name AS ticket_type_name, t.prepayment_percent,
           r.price_cents, r.currency::text AS currency, r.custom_fields, r.expires_at, r.created_at, r.confirmed_at,
           r.cancelled_at, r.cancellation_reason, c.checked_in_at,
           COALESCE((SELECT sum(p.amount_cents) FROM payments p WHERE p.registration_id = r.id AND p.status = 'COMPLETED'), 0)::int AS paid_cents,
           COALESCE((SELECT sum(f.amount_cents) FROM refunds f JOIN payments p ON p.id = f.payment_id
                      WHERE p.registration_id = r.id AND f.status = 'PENDING'), 0)::int AS refund_due_cents,
           pp.status::text AS prepayment_status, pp.prepaid_cents, pp.remaining_cents, pp.due_date`;

const ROW_JOINS = Prisma.sql`JOIN ticket_types t ON t.id = r.ticket_type_id
      LEFT JOIN check_ins c ON c.registration_id = r.id
      LEFT JOIN prepayments pp ON pp.registration_id = r.id`;

/**
 * The page's rows (each with the number of all matches): the registrations are filtered, counted,
 * ordered and cut first, so the joins and the payment sums run for the page only.
 */
function selectRows(where: Prisma.Sql, tail: Prisma.Sql, tx: DbClient): Promise<Row[]> {
  return tx.$queryRaw<Row[]>`
    SELECT ${ROW_COLUMNS}, r.total_count
      FROM (SELECT r.*, count(*) OVER ()::int AS total_count FROM registrations r WHERE ${where} ORDER BY r.created_at DESC, r.id DESC ${tail}) r
      ${ROW_JOINS}
     ORDER BY r.created_at DESC, r.id DESC`;
}

type RowKey = { id: string; created_at: Date };

/**
 * One keyset page of KEYS, oldest first (created_at, id: unique), after `after` (exclusive): no window
 * count and no OFFSET. Without an index on (event_id, created_at) each such statement reads the event's
 * rows and keeps the top N, so the export reads keys in pages 10× larger than its row pages (ids and
 * times only: 20,000 keys ≈ 1 MB) and fetches the full rows by id — a 100,000-row event costs 5 sorts, not 50.
 */
function selectKeysAfter(where: Prisma.Sql, after: RowKey | null, limit: number, tx: DbClient): Promise<RowKey[]> {
  const cursor = after ? Prisma.sql`AND (r.created_at, r.id) > (${after.created_at}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  return tx.$queryRaw<RowKey[]>`SELECT r.id, r.created_at FROM registrations r WHERE ${where} ${cursor} ORDER BY r.created_at, r.id LIMIT ${limit}::int`;
}

/** The full rows of these ids (still under the scope's WHERE: the tenant is in every statement), oldest first. */
function selectRowsByIds(where: Prisma.Sql, ids: string[], tx: DbClient): Promise<Row[]> {
  return tx.$queryRaw<Row[]>`
    SELECT ${ROW_COLUMNS}, 0 AS total_count
      FROM (SELECT r.* FROM registrations r WHERE r.id = ANY(${ids}::uuid[]) AND ${where}) r
      ${ROW_JOINS}
     ORDER BY r.created_at, r.id`;
}

function toAdminRegistration(r: Row): AdminRegistration {
  const payable = (r.status === "RESERVED" && !r.expired) || r.status === "PENDING";
  const plan = payable ? planFirstPayment(r.price_cents, r.prepayment_percent) : null;
  return {
    id: r.id,
    confirmationCode: r.confirmation_code,
    status: r.status,
    expired: r.expired,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    isGuest: r.user_id === null,
    ticketTypeId: r.ticket_type_id,
    ticketTypeName: r.ticket_type_name,
    priceCents: r.price_cents,
    currency: r.currency,
    paidCents: r.paid_cents,
    refundDueCents: r.refund_due_cents,
    prepayment: r.prepayment_status
      ? { status: r.prepayment_status, prepaidCents: r.prepaid_cents ?? 0, remainingCents: r.remaining_cents ?? 0, dueDate: r.due_date! }
      : null,
    amountDue: plan ? { ...plan, fullPriceCents: r.price_cents } : null,
    customFields: r.custom_fields && typeof r.custom_fields === "object" && !Array.isArray(r.custom_fields) ? (r.custom_fields as Record<string, unknown>) : {},
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    cancelledAt: r.cancelled_at,
    cancellationReason: r.cancellation_reason,
    checkedInAt: r.checked_in_at,
  };
}

// ───────────────────────────── services ─────────────────────────────

export type RegistrationList = {
  event: AdminEvent;
  viewer: AdminViewer;
  items: AdminRegistration[];
  /** Matches of the filters (all pages). */
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
};

/**
 * One page of an event's registrations (`registrations.view`), newest first. A page past the last
 * one is answered with the last page (`page` says which).
 */
export async function listEventRegistrations(
  options: EventScope & RegistrationFilters & { page?: number; pageSize?: number },
): Promise<RegistrationList> {
  const { event, access } = await loadScopedEvent(options);
  const pageSize = Math.min(ADMIN_PAGE_SIZE_MAX, Math.max(1, Math.trunc(options.pageSize ?? ADMIN_PAGE_SIZE_DEFAULT) || ADMIN_PAGE_SIZE_DEFAULT));
  const where = filterSql(event, options, { withStatus: true });
  const requested = Number.isSafeInteger(options.page) && options.page! >= 1 ? options.page! : 1;
  const pageOf = (n: number) => Prisma.sql`LIMIT ${pageSize}::int OFFSET ${(n - 1) * pageSize}::int`;
  // The page and the number of matches in one pass over the matches (count(*) OVER ()); only a page
  // past the end (no rows, so no count) needs the count alone and then the last page.
  let rows = await selectRows(where, pageOf(requested), db);
  let total = rows[0]?.total_count ?? 0;
  let page = requested;
  if (rows.length === 0) {
    [{ total }] = await db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM registrations r WHERE ${where}`;
    page = Math.max(1, Math.ceil(total / pageSize));
    if (total > 0) rows = await selectRows(where, pageOf(page), db);
    if (total === 0) page = 1;
  }
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  return {
    event,
    viewer: { canManage: roleCan(access.effectiveRole, "registrations.manage") },
    items: rows.map(toAdminRegistration),
    total,
    page,
    pageSize,
    totalPages,
  };
}

export type StatusCounts = Record<RegistrationStatus, number> & { total: number };

/** Registrations per status for the same event and search/type filters (the status filter is ignored). */
export async function countRegistrationsByStatus(options: EventScope & RegistrationFilters): Promise<StatusCounts> {
  const { event } = await loadScopedEvent(options);
  const rows = await db.$queryRaw<{ status: RegistrationStatus; count: number }[]>`
    SELECT r.status::text AS status, count(*)::int AS count FROM registrations r
     WHERE ${filterSql(event, options, { withStatus: false })}
     GROUP BY r.status`;
  const counts = Object.fromEntries(REGISTRATION_STATUSES.map((s) => [s, 0])) as StatusCounts;
  counts.total = 0;
  for (const row of rows) {
    counts[row.status] = row.count;
    counts.total += row.count;
  }
  return counts;
}

// ───────────────────────────── CSV ─────────────────────────────


export type RegistrationsCsv = { filename: string; csv: string; rows: number };

/** The largest export in one file (an event of this size is far beyond the product's scale). */
export const CSV_MAX_ROWS = 50_000;

/**
 * The event's registrations matching the filters as CSV (`registrations.view`): UTF-8 with a BOM
 * (Excel), a header row, CRLF line ends, `,` separators, RFC 4180 quoting, a formula-injection guard,
 * every field plus one column per extra registration field (its label; checkboxes yes/no), dates in
 * the event's time zone. Writes an audit row (`registrations.exported`): it is personal data.
 */
export async function exportRegistrationsCsv(options: EventScope & RegistrationFilters & { locale?: Locale }): Promise<RegistrationsCsv> {
  const actor = requireActor(options.actor);
  const { event } = await loadScopedEvent(options);
  const where = filterSql(event, options, { withStatus: true });
  const rows = (await selectRows(where, Prisma.sql`LIMIT ${CSV_MAX_ROWS}::int`, db)).map(toAdminRegistration);
  const columns = registrationCsvColumns(event, options.locale ?? "ru");
  let csv = CSV_BOM + csvLine(columns.header);
  for (const r of rows) csv += csvLine(columns.cells(r));

  await writeAudit(db, ({
    organizationId: event.organizationId,
    actorId: actor.userId,
    entityType: "event",
    entityId: event.id,
    action: "registrations.exported",
    changes: { rows: rows.length, q: options.q ?? null, status: options.status ?? null, ticketTypeId: options.ticketTypeId ?? null },
  }));
  return { filename: `${event.slug}-registrations.csv`, csv, rows: rows.length };
}

export type CsvValue = string | number | null | undefined;

/**
 * The registrations export's columns, one list for this CSV and the analytics exports (CSV and XLSX,
 * lib/analytics/exports): every field plus one column per extra registration field (its label;
 * checkboxes yes/no), times in the event's time zone (named in the header), money as "1500.00".
 */
export function registrationCsvColumns(
  event: Pick<AdminEvent, "timezone" | "registrationFields">,
  locale: Locale,
): { header: string[]; cells: (r: AdminRegistration) => CsvValue[] } {
  const t = translatorFor(locale);
  const yes = t("registrationsAdmin.csv.yes");
  const no = t("registrationsAdmin.csv.no");
  const tz = event.timezone;
  const money = (cents: number) => fromMinorUnits(cents);
  const header = [
    t("registrationsAdmin.csv.code"),
    t("registrationsAdmin.csv.status"),
    t("registrationsAdmin.csv.firstName"),
    t("registrationsAdmin.csv.lastName"),
    t("registrationsAdmin.csv.email"),
    t("registrationsAdmin.csv.ticketType"),
    t("registrationsAdmin.csv.price"),
    t("registrationsAdmin.csv.currency"),
    t("registrationsAdmin.csv.paid"),
    t("registrationsAdmin.csv.prepayment"),
    t("registrationsAdmin.csv.remaining"),
    t("registrationsAdmin.csv.refundDue"),
    t("registrationsAdmin.csv.createdAt", { tz }),
    t("registrationsAdmin.csv.confirmedAt", { tz }),
    t("registrationsAdmin.csv.cancelledAt", { tz }),
    t("registrationsAdmin.csv.cancellationReason"),
    t("registrationsAdmin.csv.checkedInAt", { tz }),
    t("registrationsAdmin.csv.guest"),
    ...event.registrationFields.map((f) => f.label),
  ];
  const prepaymentLabel = (p: AdminRegistration["prepayment"]) =>
    !p ? "" : p.status === "PARTIAL" ? t("registrationsAdmin.csv.prepaymentPartial") : t("registrationsAdmin.csv.prepaymentCompleted");
  const answer = (field: RegistrationFieldDefinition, value: unknown) => {
    if (field.type === "checkbox") return value === true ? yes : no;
    return value === undefined || value === null ? "" : String(value);
  };
  const cells = (r: AdminRegistration): CsvValue[] => [
    r.confirmationCode,
    r.expired ? t("registrationsAdmin.status.EXPIRED") : t.dynamic(`registrationsAdmin.status.${r.status}`),
    r.firstName,
    r.lastName,
    r.email,
    r.ticketTypeName,
    money(r.priceCents),
    r.currency,
    money(r.paidCents),
    prepaymentLabel(r.prepayment),
    r.prepayment ? money(r.prepayment.remainingCents) : "",
    r.refundDueCents ? money(r.refundDueCents) : "",
    formatZoned(r.createdAt, tz),
    formatZoned(r.confirmedAt, tz),
    formatZoned(r.cancelledAt, tz),
    r.cancellationReason,
    formatZoned(r.checkedInAt, tz),
    r.isGuest ? yes : no,
    ...event.registrationFields.map((f) => answer(f, r.customFields[f.key])),
  ];
  return { header, cells };
}

/** Rows per statement of the keyset export. */
export const EXPORT_PAGE_SIZE = 2_000;

/**
 * Every registration of the event as CSV cells, read in keyset pages of `pageSize` (oldest first):
 * the analytics exports stream it (lib/analytics/exports), so no more than one page is ever held.
 * Authorizes `options.permission` (default registrations.view) on the event's organization once, when
 * called; tenant-scoped (the organization is in every statement's WHERE).
 */
export async function openRegistrationsExport(
  options: EventScope & { locale?: Locale; pageSize?: number },
): Promise<{ event: AdminEvent; header: string[]; pages: () => AsyncGenerator<CsvValue[][]> }> {
  const { event } = await loadScopedEvent(options);
  const columns = registrationCsvColumns(event, options.locale ?? "ru");
  const where = filterSql(event, {}, { withStatus: false });
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const keyPageSize = pageSize * 10;
  async function* pages(): AsyncGenerator<CsvValue[][]> {
    let after: RowKey | null = null;
    for (;;) {
      const keys = await selectKeysAfter(where, after, keyPageSize, db);
      for (let i = 0; i < keys.length; i += pageSize) {
        const rows = await selectRowsByIds(where, keys.slice(i, i + pageSize).map((k) => k.id), db);
        yield rows.map((r) => columns.cells(toAdminRegistration(r)));
      }
      if (keys.length < keyPageSize) return;
      after = keys[keys.length - 1];
    }
  }
  return { event, header: columns.header, pages };
}

// ───────────────────────────── keyset pages (the REST API) ─────────────────────────────

/** Where a keyset page starts: after the row with this sort time and id (exclusive). */
export type RegistrationKey = { at: Date; id: string };

export type RegistrationKeysetPage = {
  event: AdminEvent;
  items: (AdminRegistration & { updatedAt: Date })[];
  /** The key of the last row, to pass as `after` for the next page; null when this was the last page. */
  next: RegistrationKey | null;
};

/**
 * One keyset page of an event's registrations (`registrations.view`; the REST API's list, for sync):
 * the same filters as the organizer's view (status, ticket type, search), no count and no OFFSET, so a
 * 100,000-registration event is read page by page at the same cost per page. Order: oldest first
 * (created_at, id — the index registrations_event_id_created_at_id_idx); with `updatedSince` only rows
 * changed at or after that time, ordered by (updated_at, id), so a client that keeps the last page's
 * key sees every later change.
 */
export async function listEventRegistrationsAfter(
  options: EventScope & RegistrationFilters & { updatedSince?: Date | null; after?: RegistrationKey | null; limit: number },
): Promise<RegistrationKeysetPage> {
  const { event } = await loadScopedEvent(options);
  const limit = Math.min(ADMIN_PAGE_SIZE_MAX, Math.max(1, Math.trunc(options.limit) || ADMIN_PAGE_SIZE_DEFAULT));
  const where = filterSql(event, options, { withStatus: true });
  const byUpdate = Boolean(options.updatedSince);
  const key = byUpdate ? Prisma.sql`r.updated_at` : Prisma.sql`r.created_at`;
  const since = options.updatedSince ? Prisma.sql`AND r.updated_at >= ${options.updatedSince}::timestamptz` : Prisma.empty;
  const after = options.after ? Prisma.sql`AND (${key}, r.id) > (${options.after.at}::timestamptz, ${options.after.id}::uuid)` : Prisma.empty;
  const rows = await db.$queryRaw<(Row & { updated_at: Date; sort_at: Date })[]>`
    SELECT ${ROW_COLUMNS}, r.updated_at, r.sort_at, 0 AS total_count
      FROM (SELECT r.*, ${key} AS sort_at FROM registrations r WHERE ${where} ${since} ${after}
             ORDER BY ${key}, r.id LIMIT ${limit + 1}::int) r
      ${ROW_JOINS}
     ORDER BY r.sort_at, r.id`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    event,
    items: page.map((r) => ({ ...toAdminRegistration(r), updatedAt: r.updated_at })),
    next: rows.length > limit && last ? { at: last.sort_at, id: last.id } : null,
  };
}

/**
 * One registration for the organizer (`registrations.view` on its event's organization): the row of
 * the view. Unknown, malformed, or another organization's → NOT_FOUND.
 */
export async function getEventRegistration(options: {
  actor: Actor | null | undefined;
  registrationId: string;
  /** The registration's event when the caller knows it (just sold): saves a lookup; another event's registration is NOT_FOUND. */
  eventId?: string;
}): Promise<{ event: AdminEvent; registration: AdminRegistration & { updatedAt: Date } }> {
  requireActor(options.actor);
  if (!isUuid(options.registrationId)) throw notFound();
  const eventId = options.eventId ?? (await db.registration.findUnique({ where: { id: options.registrationId }, select: { eventId: true } }))?.eventId;
  if (!eventId) throw notFound();
  const { event } = await loadScopedEvent({ actor: options.actor, eventId });
  const [row] = await db.$queryRaw<(Row & { updated_at: Date })[]>`
    SELECT ${ROW_COLUMNS}, r.updated_at, 0 AS total_count
      FROM (SELECT r.* FROM registrations r WHERE r.id = ${options.registrationId}::uuid AND ${filterSql(event, {}, { withStatus: false })}) r
      ${ROW_JOINS}`;
  if (!row) throw notFound();
  return { event, registration: { ...toAdminRegistration(row), updatedAt: row.updated_at } };
}
