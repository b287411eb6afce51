// The printable attendee list (for the door when phones die; docs/analytics.md → "Exports"): everyone
// expected at the door — registrations CONFIRMED or CHECKED_IN — with ticket type, confirmation code
// and whether (and when) they already checked in, sorted by last name then first name in the
// viewer's language (Intl.Collator: "Ёлкин" sorts with "Е", case and accents do not split names).
//
// `analytics.view` on the event's organization; the organization must be the one of the URL (a slug
// of another organization → NOT_FOUND, like every dashboard page). One statement for the rows; the
// list is a page the size of the event (one server-rendered table: 5,000 rows are ~1 MB of HTML).
import "server-only";
import { db, onPrisma, sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { authorizeEvent, requireActor, type Actor } from "@/lib/permissions";

export type PrintAttendee = {
  id: string;
  firstName: string;
  lastName: string | null;
  ticketType: string;
  code: string;
  /** Already checked in: status CHECKED_IN or a check-in row. */
  checkedIn: boolean;
  /** The check-in's own time, when there is a row. */
  checkedInAt: Date | null;
};

export type PrintAttendeeList = {
  event: { id: string; title: string; slug: string; timezone: string; startsAt: Date; organizationSlug: string };
  attendees: PrintAttendee[];
  checkedIn: number;
  generatedAt: Date;
};

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");

/** Last name, then first name, then code (stable); names without a last name go last. */
export function sortAttendees<T extends Pick<PrintAttendee, "firstName" | "lastName" | "code">>(rows: T[], locale: Locale): T[] {
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  return rows.sort((a, b) => {
    if (!a.lastName !== !b.lastName) return a.lastName ? -1 : 1;
    return collator.compare(a.lastName ?? "", b.lastName ?? "") || collator.compare(a.firstName, b.firstName) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  });
}

export async function listAttendeesForPrint(options: {
  actor: Actor | null | undefined;
  eventId: string;
  /** The organization of the URL (/dashboard/o/<slug>/…): another one's event is NOT_FOUND. */
  organizationSlug?: string;
  locale: Locale;
}): Promise<PrintAttendeeList> {
  const actor = requireActor(options.actor);
  const access = await authorizeEvent({ actor, eventId: options.eventId, permission: "analytics.view" });
  if (options.organizationSlug !== undefined && access.organization.slug !== options.organizationSlug) throw notFound();
  const organizationId = access.event.organizationId;
  const event = await db.event.findFirst({
    where: { id: access.event.id, organizationId, deletedAt: null },
    select: { id: true, title: true, slug: true, timezone: true, startsAt: true },
  });
  if (!event) throw notFound();
  const rows = await onPrisma(db).rows<{ id: string; first_name: string; last_name: string | null; ticket_type: string; code: string; checked_in: boolean; checked_in_at: Date | null }>(sql`
    SELECT r.id, r.first_name, r.last_name, t.name AS ticket_type, r.confirmation_code AS code,
           (r.status = 'CHECKED_IN' OR c.id IS NOT NULL) AS checked_in, c.checked_in_at
      FROM registrations r
      JOIN ticket_types t ON t.id = r.ticket_type_id
      LEFT JOIN check_ins c ON c.registration_id = r.id
     WHERE r.event_id = ${event.id}::uuid AND r.tenant_id = ${organizationId}::uuid
       AND r.status IN ('CONFIRMED'::"RegistrationStatus", 'CHECKED_IN'::"RegistrationStatus")`);
  const attendees = sortAttendees(
    rows.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name?.trim() || null, ticketType: r.ticket_type, code: r.code, checkedIn: r.checked_in, checkedInAt: r.checked_in_at })),
    options.locale,
  );
  return {
    event: { ...event, organizationSlug: access.organization.slug },
    attendees,
    checkedIn: attendees.filter((a) => a.checkedIn).length,
    generatedAt: new Date(),
  };
}
