// The organizer's payments view (docs/payments.md → "Payments view"): every payment of an event or of the
// whole organization with its refunds, totals per currency, a status filter, pages of 50, and the CSV.
// Read-only; `payments.view` (owner and moderators). Tenant-scoped: every statement has the organization
// in its WHERE, taken from the authorized scope (never from the request).
//
// Totals per currency over the whole scope (the status filter narrows the list only):
//   gross    = payments COMPLETED + PARTIALLY_REFUNDED + REFUNDED,
//   refunded = their refunds COMPLETED,
//   net      = gross − refunded.
// Demo payments (no money moved) are marked as tests in the rows and the CSV, and totalled apart.
//
// Each row also says what the payment was for (kind: full, deposit, remainder), why it failed, and —
// the organizer's to-do — a flag: the provider took another amount or currency than ours, so nothing was
// confirmed (lib/payments/settle.ts); a refund shows why it failed.
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db, join, onPrisma, sql, type DbClient, type Sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Currency, PaymentStatus, RefundStatus } from "@/lib/generated/prisma/enums";
import { CSV_BOM, csvLine, formatZoned } from "@/lib/http/csv";
import type { Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { authorizeEvent, authorizeOrganization, requireActor, type Actor } from "@/lib/permissions";
import { fromMinorUnits } from "@/lib/validation/events";

export const PAYMENT_STATUSES = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "PARTIALLY_REFUNDED", "REFUNDED"] as const satisfies readonly PaymentStatus[];
/** The statuses whose amount was taken (gross). */
export const GROSS_STATUSES = ["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"] as const satisfies readonly PaymentStatus[];
export const PAYMENTS_PAGE_SIZE = 50;
export const PAYMENTS_CSV_MAX_ROWS = 50_000;

export type PaymentsScope = { actor: Actor | null | undefined } & ({ organizationId: string; eventId?: undefined } | { eventId: string; organizationId?: undefined });

export type RefundRow = {
  id: string;
  status: RefundStatus;
  amountCents: number;
  reason: string | null;
  /** Why a FAILED refund failed (shown with the Retry of the registration's payments dialog). */
  failureReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
};

export type PaymentRow = {
  id: string;
  status: PaymentStatus;
  provider: string;
  /** A demo payment: no money moved. */
  isTest: boolean;
  amountCents: number;
  currency: Currency;
  providerPaymentId: string | null;
  createdAt: Date;
  completedAt: Date | null;
  /** Sum of the COMPLETED refunds. */
  refundedCents: number;
  kind: "FULL" | "PREPAYMENT" | "REMAINDER";
  /** Set when the provider's amount or currency differed from ours: not confirmed, the organizer checks it. */
  flagReason: string | null;
  failureReason: string | null;
  registration: { id: string; code: string; firstName: string; lastName: string | null; email: string | null; status: string };
  event: { id: string; title: string; timezone: string };
  refunds: RefundRow[];
};

export type CurrencyTotals = { currency: Currency; test: boolean; payments: number; grossCents: number; refundedCents: number; netCents: number };

type Resolved = { organizationId: string; eventId: string | null; actorId: string };

async function resolveScope(scope: PaymentsScope, client: DbClient, permission: "payments.view" | "analytics.view" = "payments.view"): Promise<Resolved> {
  const actor = requireActor(scope.actor);
  if (scope.eventId !== undefined) {
    const access = await authorizeEvent({ actor, eventId: scope.eventId, permission, tx: client });
    return { organizationId: access.event.organizationId, eventId: access.event.id, actorId: actor.userId };
  }
  const access = await authorizeOrganization({ actor, organizationId: scope.organizationId, permission, tx: client });
  return { organizationId: access.organization.id, eventId: null, actorId: actor.userId };
}

export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === "string" && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

function parseStatus(status: string | null | undefined): PaymentStatus | null {
  if (status === undefined || status === null || status === "") return null;
  if (!isPaymentStatus(status)) throw new AppError("VALIDATION", "errors.validation", { status: "paymentsAdmin.validation.statusInvalid" });
  return status;
}

/** The scope's WHERE over p (payments) and r (registrations): the tenant always, the event when given. */
function scopeWhere(resolved: Resolved, status: PaymentStatus | null): Sql {
  const parts = [sql`p.tenant_id = ${resolved.organizationId}::uuid`];
  if (resolved.eventId) parts.push(sql`r.event_id = ${resolved.eventId}::uuid`);
  if (status) parts.push(sql`p.status = ${status}::"PaymentStatus"`);
  return join(parts, " AND ");
}

const REFUNDS_JSON = sql`(SELECT coalesce(json_agg(json_build_object(
      'id', f.id, 'status', f.status, 'amountCents', f.amount_cents, 'reason', f.reason, 'failureReason', f.failure_reason,
      'createdAt', f.created_at, 'completedAt', f.completed_at) ORDER BY f.created_at, f.id), '[]'::json)
    FROM refunds f WHERE f.payment_id = p.id)`;

const ROW_COLUMNS = sql`p.id, p.status::text AS status, p.provider, p.amount_cents, p.currency::text AS currency, p.provider_payment_id,
       p.created_at, p.completed_at, p.kind, p.flag_reason, p.failure_reason,
       (SELECT coalesce(sum(f.amount_cents), 0)::int FROM refunds f WHERE f.payment_id = p.id AND f.status = 'COMPLETED') AS refunded_cents,
       r.id AS registration_id, r.confirmation_code, r.first_name, r.last_name, r.email, r.status::text AS registration_status,
       e.id AS event_id, e.title AS event_title, e.timezone,
       ${REFUNDS_JSON} AS refunds`;

// the registration of the payment is the same tenant's (payments_registration_tenant_fkey)
const FROM = sql`payments p
  JOIN registrations r ON r.id = p.registration_id AND r.tenant_id = p.tenant_id
  JOIN events e ON e.id = r.event_id`;

type RawRow = {
  id: string;
  status: PaymentStatus;
  provider: string;
  amount_cents: number;
  currency: Currency;
  provider_payment_id: string | null;
  created_at: Date;
  completed_at: Date | null;
  refunded_cents: number;
  kind: PaymentRow["kind"];
  flag_reason: string | null;
  failure_reason: string | null;
  registration_id: string;
  confirmation_code: string;
  first_name: string;
  last_name: string | null;
  email: string | null;
  registration_status: string;
  event_id: string;
  event_title: string;
  timezone: string;
  refunds: { id: string; status: RefundStatus; amountCents: number; reason: string | null; failureReason: string | null; createdAt: string; completedAt: string | null }[];
};

function toRow(r: RawRow): PaymentRow {
  return {
    id: r.id,
    status: r.status,
    provider: r.provider,
    isTest: r.provider === "demo",
    amountCents: r.amount_cents,
    currency: r.currency,
    providerPaymentId: r.provider_payment_id,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    refundedCents: r.refunded_cents,
    kind: r.kind,
    flagReason: r.flag_reason,
    failureReason: r.failure_reason,
    registration: { id: r.registration_id, code: r.confirmation_code, firstName: r.first_name, lastName: r.last_name, email: r.email, status: r.registration_status },
    event: { id: r.event_id, title: r.event_title, timezone: r.timezone },
    refunds: r.refunds.map((f) => ({ ...f, createdAt: new Date(f.createdAt), completedAt: f.completedAt ? new Date(f.completedAt) : null })),
  };
}

async function selectRows(client: DbClient, where: Sql, limit: number, offset: number): Promise<PaymentRow[]> {
  // newest first; ties broken by id so pages never repeat or skip a row (payments_tenant_id_idx narrows to the tenant)
  const rows = await onPrisma(client).rows<RawRow>(sql`
    SELECT ${ROW_COLUMNS} FROM ${FROM} WHERE ${where}
     ORDER BY p.created_at DESC, p.id DESC LIMIT ${limit}::int OFFSET ${offset}::int`);
  return rows.map(toRow);
}

export type PaymentsPage = { rows: PaymentRow[]; total: number; page: number; pageCount: number; pageSize: number; status: PaymentStatus | null };

/** One page (50 rows) of the scope's payments, newest first, optionally of one status. */
export async function listPayments(options: PaymentsScope & { status?: string | null; page?: number; tx?: DbClient }): Promise<PaymentsPage> {
  const client = options.tx ?? db;
  const resolved = await resolveScope(options, client);
  const status = parseStatus(options.status);
  const where = scopeWhere(resolved, status);
  const [{ count }] = await onPrisma(client).rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM ${FROM} WHERE ${where}`);
  const pageCount = Math.max(1, Math.ceil(count / PAYMENTS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(Number(options.page) || 1)), pageCount);
  const rows = await selectRows(client, where, PAYMENTS_PAGE_SIZE, (page - 1) * PAYMENTS_PAGE_SIZE);
  return { rows, total: count, page, pageCount, pageSize: PAYMENTS_PAGE_SIZE, status };
}

/** Totals per currency (and test / real) of the whole scope: gross, refunded, net. */
export async function paymentTotals(options: PaymentsScope & { tx?: DbClient }): Promise<CurrencyTotals[]> {
  const client = options.tx ?? db;
  const resolved = await resolveScope(options, client);
  const gross = join(GROSS_STATUSES.map((s) => sql`${s}::"PaymentStatus"`));
  const rows = await onPrisma(client).rows<{ currency: Currency; test: boolean; payments: number; gross: number; refunded: number }>(sql`
    SELECT p.currency::text AS currency, (p.provider = 'demo') AS test, count(*)::int AS payments,
           coalesce(sum(p.amount_cents), 0)::bigint::float8 AS gross,
           coalesce(sum((SELECT coalesce(sum(f.amount_cents), 0) FROM refunds f WHERE f.payment_id = p.id AND f.status = 'COMPLETED')), 0)::bigint::float8 AS refunded
      FROM ${FROM}
     WHERE ${scopeWhere(resolved, null)} AND p.status IN (${gross})
     GROUP BY 1, 2
     ORDER BY 2, 1`);
  return rows.map((r) => ({ currency: r.currency, test: r.test, payments: r.payments, grossCents: r.gross, refundedCents: r.refunded, netCents: r.gross - r.refunded }));
}

export type PaymentsCsv = { filename: string; csv: string; rows: number };

/**
 * The scope's payments (optionally one status) as CSV: one line per payment, then one line per refund
 * under it (kind "refund"), UTF-8 + BOM, the formula-injection guard of lib/http/csv.ts, dates in each
 * event's time zone, demo payments marked as tests. Bounded (50,000 payments). Audited
 * (`payments.exported` on the organization): it is personal data.
 */
export async function exportPaymentsCsv(options: PaymentsScope & { status?: string | null; locale?: Locale }): Promise<PaymentsCsv> {
  const resolved = await resolveScope(options, db);
  const status = parseStatus(options.status);
  const rows = await selectRows(db, scopeWhere(resolved, status), PAYMENTS_CSV_MAX_ROWS, 0);
  const columns = paymentCsvColumns(options.locale ?? "ru");
  let csv = CSV_BOM + csvLine(columns.header);
  for (const p of rows) for (const line of columns.lines(p)) csv += csvLine(line);
  await writeAudit(db, {
    organizationId: resolved.organizationId,
    actorId: resolved.actorId,
    entityType: "organization",
    entityId: resolved.organizationId,
    action: "payments.exported",
    changes: { eventId: resolved.eventId, status, rows: rows.length },
  });
  const filename = `payments-${resolved.eventId ? `event-${resolved.eventId.slice(0, 8)}` : "all"}-${new Date().toISOString().slice(0, 10)}.csv`;
  return { filename, csv, rows: rows.length };
}

export type CsvValue = string | number | null | undefined;

/**
 * The payments export's columns, one list for this CSV and the analytics exports (CSV and XLSX,
 * lib/analytics/exports): one line per payment, then one line per refund under it (kind "refund",
 * reference = the payment's id), times in each event's time zone. `timezone` (one event's export)
 * names the zone in the date header.
 */
export function paymentCsvColumns(locale: Locale, timezone?: string): { header: string[]; lines: (p: PaymentRow) => CsvValue[][] } {
  const t = translatorFor(locale);
  const c = (key: string) => t.dynamic(`paymentsAdmin.csv.${key}`);
  const header = ["kind", "date", "status", "provider", "test", "amount", "refunded", "currency", "code", "firstName", "lastName", "email", "event", "reference", "reason"].map(c);
  if (timezone) header[1] = `${header[1]}: ${timezone}`;
  const yes = c("yes");
  const lines = (p: PaymentRow): CsvValue[][] => {
    const provider = t.dynamic(`paymentsAdmin.providers.${p.provider}`);
    return [
      [
        c("kindPayment"),
        formatZoned(p.completedAt ?? p.createdAt, p.event.timezone),
        t.dynamic(`paymentsAdmin.status.${p.status}`),
        provider,
        p.isTest ? yes : "",
        fromMinorUnits(p.amountCents),
        p.refundedCents ? fromMinorUnits(p.refundedCents) : "",
        p.currency,
        p.registration.code,
        p.registration.firstName,
        p.registration.lastName,
        p.registration.email,
        p.event.title,
        p.providerPaymentId,
        "",
      ],
      ...p.refunds.map((f) => [
        c("kindRefund"),
        formatZoned(f.completedAt ?? f.createdAt, p.event.timezone),
        t.dynamic(`paymentsAdmin.refundStatus.${f.status}`),
        provider,
        p.isTest ? yes : "",
        fromMinorUnits(f.amountCents),
        "",
        p.currency,
        p.registration.code,
        p.registration.firstName,
        p.registration.lastName,
        p.registration.email,
        p.event.title,
        p.id,
        f.reason,
      ]),
    ];
  };
  return { header, lines };
}

/** Payments per statement of the keyset export. */
export const PAYMENTS_EXPORT_PAGE_SIZE = 2_000;

/**
 * Every payment of one event (with its refunds) as CSV lines, read in keyset pages of `pageSize`
 * payments, oldest first (created_at, id: unique): the analytics exports stream it
 * (lib/analytics/exports), so no more than one page is ever held. Authorizes `permission` (default
 * payments.view) on the event's organization once, when called; every statement is tenant-scoped.
 */
export async function openEventPaymentsExport(options: {
  actor: Actor | null | undefined;
  eventId: string;
  locale?: Locale;
  timezone?: string;
  permission?: "payments.view" | "analytics.view";
  pageSize?: number;
}): Promise<{ header: string[]; pages: () => AsyncGenerator<CsvValue[][]> }> {
  const resolved = await resolveScope({ actor: options.actor, eventId: options.eventId }, db, options.permission);
  const columns = paymentCsvColumns(options.locale ?? "ru", options.timezone);
  const where = scopeWhere(resolved, null);
  const pageSize = options.pageSize ?? PAYMENTS_EXPORT_PAGE_SIZE;
  // Keys (id, created_at) in pages 10× larger than the row pages, then the rows by id: without an index
  // on the order each key page is a top-N sort of the event's payments, so fewer, wider key pages.
  const keyPageSize = pageSize * 10;
  type Key = { id: string; created_at: Date };
  async function* pages(): AsyncGenerator<CsvValue[][]> {
    let after: Key | null = null;
    for (;;) {
      const cursor: Sql = after ? sql`AND (p.created_at, p.id) > (${after.created_at}::timestamptz, ${after.id}::uuid)` : sql``;
      const keys: Key[] = await onPrisma(db).rows<Key>(sql`
        SELECT p.id, p.created_at FROM ${FROM} WHERE ${where} ${cursor} ORDER BY p.created_at, p.id LIMIT ${keyPageSize}::int`);
      for (let i = 0; i < keys.length; i += pageSize) {
        const ids = keys.slice(i, i + pageSize).map((k) => k.id);
        const raw = await onPrisma(db).rows<RawRow>(sql`
          SELECT ${ROW_COLUMNS} FROM ${FROM} WHERE ${where} AND p.id = ANY(${ids}::uuid[]) ORDER BY p.created_at, p.id`);
        yield raw.map(toRow).flatMap(columns.lines);
      }
      if (keys.length < keyPageSize) return;
      after = keys[keys.length - 1];
    }
  }
  return { header: columns.header, pages };
}

// ───────────────────────────── keyset pages (the REST API) ─────────────────────────────

/** Where a keyset page of payments starts: after (time, id), exclusive. */
export type PaymentKey = { at: Date; id: string };

/**
 * The scope's payments (`payments.view`) in keyset pages, oldest first by (created_at, id); with
 * `updatedSince` only payments changed at or after that time, by (updated_at, id), for sync. Same rows,
 * same tenant rule and status filter as the view (listPayments), no count and no OFFSET.
 */
export async function listPaymentsAfter(
  options: PaymentsScope & { status?: string | null; updatedSince?: Date | null; after?: PaymentKey | null; limit: number },
): Promise<{ rows: (PaymentRow & { updatedAt: Date })[]; next: PaymentKey | null }> {
  const resolved = await resolveScope(options, db);
  const status = parseStatus(options.status);
  const limit = Math.min(100, Math.max(1, Math.trunc(options.limit) || PAYMENTS_PAGE_SIZE));
  const key = options.updatedSince ? sql`p.updated_at` : sql`p.created_at`;
  const parts = [scopeWhere(resolved, status)];
  if (options.updatedSince) parts.push(sql`p.updated_at >= ${options.updatedSince}::timestamptz`);
  if (options.after) parts.push(sql`(${key}, p.id) > (${options.after.at}::timestamptz, ${options.after.id}::uuid)`);
  const rows = await onPrisma(db).rows<RawRow & { updated_at: Date; sort_at: Date }>(sql`
    SELECT ${ROW_COLUMNS}, p.updated_at, ${key} AS sort_at FROM ${FROM} WHERE ${join(parts, " AND ")}
     ORDER BY ${key}, p.id LIMIT ${limit + 1}::int`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({ ...toRow(r), updatedAt: r.updated_at })),
    next: rows.length > limit && last ? { at: last.sort_at, id: last.id } : null,
  };
}
