// The attendee row of the check-in contract (lib/validation/check-in.ts AttendeeRow), read with its
// check-in in one query, and the mapping rules shared by scan, sync, manifest and search:
// - a RESERVED registration past expires_at is EXPIRED (time-based states are evaluated where read);
// - "checked in by" is the door link's label when a door-staff access checked it in, else the user;
// - the email is set only for organization staff; door staff never receive it (the key is absent).
import "server-only";
import type { AttendeeRow } from "@/lib/validation/check-in";

/** Who is checking in: organization staff, or door staff through a link. */
export type CheckInViewer = {
  kind: "staff" | "door";
  /** Shown as "checked in by": the user's name for staff, the link's label for door staff. */
  name: string;
  /** checked_in_by: the staff user, or the user a door access is bound to (if any). */
  userId: string | null;
  staffAccessId: string | null;
};

/** Columns every attendee query selects (see ATTENDEE_COLUMNS). */
export type AttendeeDbRow = {
  id: string;
  confirmation_code: string;
  first_name: string;
  last_name: string | null;
  email: string | null;
  ticket_type_id: string;
  ticket_type_name: string;
  status: string;
  reservation_over: boolean;
  confirmed_at: Date | null;
  updated_at: Date;
  check_in_id: string | null;
  checked_in_at: Date | null;
  check_in_nonce: string | null;
  by_label: string | null;
  by_first_name: string | null;
  by_last_name: string | null;
  /** DUE_AT_DOOR_SQL (null / 0: nothing due). */
  due_cents?: number | null;
  currency?: string;
};

const CHECK_IN_JOINS = `LEFT JOIN check_ins c ON c.registration_id = r.id
          LEFT JOIN users cu ON cu.id = c.checked_in_by
          LEFT JOIN event_staff_access ca ON ca.id = c.staff_access_id`;

/** A RESERVED registration past its expires_at: shown (and decided) as EXPIRED. */
export const RESERVATION_OVER_SQL = `(r.status = 'RESERVED' AND r.expires_at IS NOT NULL AND r.expires_at <= now())`;

/** personName() in SQL: the trimmed non-empty parts joined by a space ('' when none). */
export function personNameSql(first: string, last: string): string {
  return `concat_ws(' ', nullif(btrim(${first}), ''), nullif(btrim(${last}), ''))`;
}

/**
 * The amount due at the door: the unpaid remainder of the registration's PARTIAL prepayment (null when
 * there is none or it is 0). One fragment for the scan, search and sync rows and the scanner's list.
 */
export const DUE_AT_DOOR_SQL = `(SELECT pp.remaining_cents FROM prepayments pp
            WHERE pp.registration_id = r.id AND pp.status = 'PARTIAL' AND pp.remaining_cents > 0)`;

/** checkedInByName() in SQL, over ATTENDEE_SQL.joins (NULL when neither gives a name). */
export const CHECKED_IN_BY_SQL = `coalesce(nullif(ca.label, ''), nullif(${personNameSql("cu.first_name", "cu.last_name")}, ''))`;

/**
 * SELECT list for `registrations r JOIN ticket_types t LEFT JOIN check_ins c LEFT JOIN users cu
 * LEFT JOIN event_staff_access ca` (ATTENDEE_JOINS).
 */
export const ATTENDEE_SQL = {
  columns: `r.id, r.confirmation_code, r.first_name, r.last_name, r.email, r.ticket_type_id,
            t.name AS ticket_type_name, r.status::text AS status,
            ${RESERVATION_OVER_SQL} AS reservation_over,
            r.confirmed_at, r.updated_at, c.id AS check_in_id, c.checked_in_at, c.client_nonce AS check_in_nonce,
            ca.label AS by_label, cu.first_name AS by_first_name, cu.last_name AS by_last_name,
            ${DUE_AT_DOOR_SQL} AS due_cents, r.currency::text AS currency`,
  joins: `JOIN ticket_types t ON t.id = r.ticket_type_id ${CHECK_IN_JOINS}`,
  /** The check-in and who made it (`c`, `cu`, `ca`), without the ticket type. */
  checkInJoins: CHECK_IN_JOINS,
} as const;

export function personName(first: string | null | undefined, last: string | null | undefined): string {
  return [first, last].map((s) => (s ?? "").trim()).filter(Boolean).join(" ");
}

export function checkedInByName(row: Pick<AttendeeDbRow, "by_label" | "by_first_name" | "by_last_name">): string | null {
  if (row.by_label) return row.by_label;
  const name = personName(row.by_first_name, row.by_last_name);
  return name || null;
}

export function attendeeStatus(row: Pick<AttendeeDbRow, "status" | "reservation_over">): AttendeeRow["status"] {
  if (row.status === "RESERVED" && row.reservation_over) return "EXPIRED";
  return row.status as AttendeeRow["status"];
}

export function toAttendee(row: AttendeeDbRow, viewer: Pick<CheckInViewer, "kind">): AttendeeRow {
  const attendee: AttendeeRow = {
    registrationId: row.id,
    code: row.confirmation_code,
    firstName: row.first_name,
    lastName: row.last_name,
    ticketTypeId: row.ticket_type_id,
    ticketTypeName: row.ticket_type_name,
    status: attendeeStatus(row),
    checkedInAt: row.checked_in_at ? row.checked_in_at.toISOString() : null,
    checkedInByName: row.checked_in_at ? checkedInByName(row) : null,
  };
  if (viewer.kind === "staff") attendee.email = row.email;
  if (row.due_cents && row.due_cents > 0 && row.currency) attendee.due = { cents: row.due_cents, currency: row.currency };
  return attendee;
}
