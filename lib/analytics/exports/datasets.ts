// The four datasets of an event's exports (docs/analytics.md → "Exports"), each as a header and rows
// read in keyset pages (one statement per page, ordered by a unique key, tenant-scoped): the CSV and
// the XLSX writers stream them, so an event is never held in memory whole.
//
// - registrations: the columns of the registrations CSV (lib/registrations → registrationCsvColumns),
//   oldest first;
// - payments: the columns of the payments CSV (lib/payments → paymentCsvColumns): one line per
//   payment, then one line per refund under it (kind "refund"; its reference is the payment's id),
//   payments oldest first — the layout the payments view already exports, so both files read alike;
// - check-ins: time, who (name, email, code, ticket type), method, the staff member or door-staff
//   link that scanned, and the device; by the scan's own time (checked_in_at, id);
// - waitlist: position, name, email, ticket type asked for, status, joined / offered / offer expiry,
//   and the registration code once converted; by position (unique per event).
// Times are in the event's time zone (formatZoned), named in the column headers.
import "server-only";
import { db, onPrisma, sql, type Sql } from "@/lib/db";
import type { CheckInMethod, WaitlistStatus } from "@/lib/generated/prisma/enums";
import { formatZoned } from "@/lib/http/csv";
import { translatorFor } from "@/lib/i18n/catalogue";
import type { Locale } from "@/lib/i18n/config";
import { openEventPaymentsExport } from "@/lib/payments/report";
import type { Actor } from "@/lib/permissions";
import { openRegistrationsExport } from "@/lib/registrations/admin";
import type { ExportDataset } from "../paths";

export type ExportValue = string | number | null | undefined;

export type DatasetSource = {
  dataset: ExportDataset;
  header: string[];
  /** The rows, one keyset page (≤ pageSize rows of one statement) at a time. */
  pages: () => AsyncGenerator<ExportValue[][]>;
};

/** The event of an export, already authorized (`analytics.view`) by the caller. */
export type ExportEvent = { id: string; organizationId: string; slug: string; timezone: string };

export type DatasetOptions = { actor: Actor; event: ExportEvent; locale: Locale; pageSize?: number };

/** Rows per statement. */
export const EXPORT_PAGE_SIZE = 2_000;

/**
 * Keyset pagination over one statement: `query(after, limit)` returns rows after the cursor in the
 * key's order; `key` gives a row's cursor. Stops at the first short page.
 */
async function* keysetPages<R, K>(
  query: (after: K | null, limit: number) => Promise<R[]>,
  key: (row: R) => K,
  toCells: (row: R) => ExportValue[],
  pageSize: number,
): AsyncGenerator<ExportValue[][]> {
  let after: K | null = null;
  for (;;) {
    const rows = await query(after, pageSize);
    if (rows.length === 0) return;
    yield rows.map(toCells);
    if (rows.length < pageSize) return;
    after = key(rows[rows.length - 1]);
  }
}

type CheckInRow = {
  id: string;
  checked_in_at: Date;
  first_name: string;
  last_name: string | null;
  email: string | null;
  confirmation_code: string;
  ticket_type_name: string;
  method: CheckInMethod;
  staff_first_name: string | null;
  staff_last_name: string | null;
  staff_label: string | null;
  device_id: string | null;
};

function checkInsSource({ event, locale, pageSize = EXPORT_PAGE_SIZE }: DatasetOptions): DatasetSource {
  const t = translatorFor(locale);
  const c = (key: string, values?: Record<string, string>) => t.dynamic(`analyticsExports.checkIns.${key}`, values);
  const tz = event.timezone;
  const header = [
    c("checkedInAt", { tz }),
    c("firstName"),
    c("lastName"),
    c("email"),
    c("code"),
    c("ticketType"),
    c("method"),
    c("staff"),
    c("device"),
  ];
  const query = (after: { at: Date; id: string } | null, limit: number) => {
    const cursor: Sql = after ? sql`AND (ci.checked_in_at, ci.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
    // the registration is the event's tenant's (r.tenant_id): the check-in belongs to the event through it
    return onPrisma(db).rows<CheckInRow>(sql`
      SELECT ci.id, ci.checked_in_at, r.first_name, r.last_name, r.email, r.confirmation_code, t.name AS ticket_type_name,
             ci.check_in_method::text AS method, u.first_name AS staff_first_name, u.last_name AS staff_last_name,
             sa.label AS staff_label, ci.device_id
        FROM check_ins ci
        JOIN registrations r ON r.id = ci.registration_id AND r.event_id = ci.event_id AND r.tenant_id = ${event.organizationId}::uuid
        JOIN ticket_types t ON t.id = r.ticket_type_id
        LEFT JOIN users u ON u.id = ci.checked_in_by
        LEFT JOIN event_staff_access sa ON sa.id = ci.staff_access_id AND sa.event_id = ci.event_id
       WHERE ci.event_id = ${event.id}::uuid ${cursor}
       ORDER BY ci.checked_in_at, ci.id
       LIMIT ${limit}::int`);
  };
  const staff = (r: CheckInRow) =>
    r.staff_first_name !== null ? [r.staff_first_name, r.staff_last_name].filter(Boolean).join(" ") : (r.staff_label ?? "");
  return {
    dataset: "check-ins",
    header,
    pages: () =>
      keysetPages(
        query,
        (r) => ({ at: r.checked_in_at, id: r.id }),
        (r) => [
          formatZoned(r.checked_in_at, tz),
          r.first_name,
          r.last_name,
          r.email,
          r.confirmation_code,
          r.ticket_type_name,
          c(`method${r.method}`),
          staff(r),
          r.device_id,
        ],
        pageSize,
      ),
  };
}

type WaitlistRow = {
  position: number;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  ticket_type_name: string | null;
  status: WaitlistStatus;
  created_at: Date;
  notified_at: Date | null;
  expires_at: Date | null;
  converted_code: string | null;
};

function waitlistSource({ event, locale, pageSize = EXPORT_PAGE_SIZE }: DatasetOptions): DatasetSource {
  const t = translatorFor(locale);
  const c = (key: string, values?: Record<string, string>) => t.dynamic(`analyticsExports.waitlist.${key}`, values);
  const tz = event.timezone;
  const header = [
    c("position"),
    c("firstName"),
    c("lastName"),
    c("email"),
    c("ticketType"),
    c("status"),
    c("joinedAt", { tz }),
    c("offeredAt", { tz }),
    c("offerExpiresAt", { tz }),
    c("convertedCode"),
  ];
  const query = (after: number | null, limit: number) =>
    // the entry's name and email: its own (guests), else the account's; (event_id, position) is unique
    onPrisma(db).rows<WaitlistRow>(sql`
      SELECT w.position, coalesce(w.first_name, u.first_name) AS first_name, coalesce(w.last_name, u.last_name) AS last_name,
             coalesce(w.email, u.email) AS email, t.name AS ticket_type_name, w.status::text AS status,
             w.created_at, w.notified_at, w.expires_at, r.confirmation_code AS converted_code
        FROM waitlist_entries w
        JOIN events e ON e.id = w.event_id AND e.tenant_id = ${event.organizationId}::uuid
        LEFT JOIN users u ON u.id = w.user_id
        LEFT JOIN ticket_types t ON t.id = w.ticket_type_id
        LEFT JOIN registrations r ON r.id = w.converted_registration_id AND r.tenant_id = e.tenant_id
       WHERE w.event_id = ${event.id}::uuid ${after === null ? sql`` : sql`AND w.position > ${after}::int`}
       ORDER BY w.position
       LIMIT ${limit}::int`);
  return {
    dataset: "waitlist",
    header,
    pages: () =>
      keysetPages(
        query,
        (r) => r.position,
        (r) => [
          r.position,
          r.first_name,
          r.last_name,
          r.email,
          r.ticket_type_name ?? c("anyTicketType"),
          c(`status${r.status}`),
          formatZoned(r.created_at, tz),
          formatZoned(r.notified_at, tz),
          formatZoned(r.expires_at, tz),
          r.converted_code,
        ],
        pageSize,
      ),
  };
}

/**
 * Opens one dataset: its header now, its rows when pulled. The registrations and payments readers of
 * their areas authorize `analytics.view` themselves too (one query each), with the same answer.
 */
export async function openDataset(dataset: ExportDataset, options: DatasetOptions): Promise<DatasetSource> {
  const { actor, event, locale, pageSize } = options;
  switch (dataset) {
    case "registrations": {
      const source = await openRegistrationsExport({ actor, eventId: event.id, permission: "analytics.view", locale, pageSize });
      return { dataset, header: source.header, pages: source.pages };
    }
    case "payments": {
      const source = await openEventPaymentsExport({ actor, eventId: event.id, permission: "analytics.view", locale, timezone: event.timezone, pageSize });
      return { dataset, header: source.header, pages: source.pages };
    }
    case "check-ins":
      return checkInsSource(options);
    case "waitlist":
      return waitlistSource(options);
  }
}
