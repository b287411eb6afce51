// The activity tab of an event: its audit rows and those of its ticket types (also deleted ones),
// registrations and door-staff links — who, when, what, which fields from → to. Newest first, paged. `events.view`;
// tenant-scoped (the rows must carry the event's organization), another organization's event is
// NOT_FOUND like everywhere else.
import "server-only";
import { db, type DbClient } from "@/lib/db";
import { authorizeEvent, type Actor } from "@/lib/permissions";

export const ACTIVITY_PAGE_SIZE = 30;

export type ActivityChange = { field: string; from: unknown; to: unknown };

export type ActivityEntry = {
  id: string;
  createdAt: Date;
  action: string;
  entityType: string;
  entityId: string;
  /** The ticket type's name (current, or the last known one for a deleted type), when the row is about one. */
  entityLabel: string | null;
  /** null for the system (scheduled jobs). */
  actor: { id: string; name: string } | null;
  changes: ActivityChange[];
  /** Extra values that are not { from, to } pairs (e.g. `by: "schedule"`). */
  notes: Record<string, unknown>;
};

export type EventActivity = { items: ActivityEntry[]; page: number; pageSize: number; total: number; totalPages: number };

type Row = {
  id: string;
  created_at: Date;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: unknown;
  actor_id: string | null;
  first_name: string | null;
  last_name: string | null;
  ticket_name: string | null;
};

/** Splits a stored `changes` object into { field, from, to } pairs and other notes. */
export function splitChanges(changes: unknown): { changes: ActivityChange[]; notes: Record<string, unknown> } {
  const out: ActivityChange[] = [];
  const notes: Record<string, unknown> = {};
  if (!changes || typeof changes !== "object" || Array.isArray(changes)) return { changes: out, notes };
  for (const [field, value] of Object.entries(changes as Record<string, unknown>)) {
    if (value && typeof value === "object" && !Array.isArray(value) && ("from" in value || "to" in value)) {
      const pair = value as { from?: unknown; to?: unknown };
      out.push({ field, from: pair.from ?? null, to: pair.to ?? null });
    } else {
      notes[field] = value;
    }
  }
  return { changes: out, notes };
}

/**
 * One page of an event's history (`events.view`).
 * Errors: UNAUTHENTICATED; NOT_FOUND (unknown, deleted, another organization's event).
 */
export async function listEventActivity(options: { actor: Actor | null | undefined; eventId: string; page?: number; pageSize?: number; tx?: DbClient }): Promise<EventActivity> {
  const tx = options.tx ?? db;
  const access = await authorizeEvent({ actor: options.actor, eventId: options.eventId, permission: "events.view", tx });
  const eventId = access.event.id;
  const organizationId = access.event.organizationId;
  const pageSize = Math.min(100, Math.max(1, Math.trunc(options.pageSize ?? ACTIVITY_PAGE_SIZE)));
  const requested = Number.isFinite(options.page) ? Math.max(1, Math.trunc(options.page as number)) : 1;

  // Ticket types of the event: the live ones, and deleted ones through their "created" row (it names the event).
  const scope = `
    FROM audit_logs a
    WHERE a.organization_id = $2::uuid
      AND (
        (a.entity_type = 'event' AND a.entity_id = $1::uuid)
        OR (a.entity_type = 'ticket_type' AND (
              a.entity_id IN (SELECT id FROM ticket_types WHERE event_id = $1::uuid)
           OR a.entity_id IN (SELECT c.entity_id FROM audit_logs c
                               WHERE c.organization_id = $2::uuid AND c.entity_type = 'ticket_type'
                                 AND c.action = 'ticket_type.created' AND c.changes->'eventId'->>'to' = $1::text)))
        OR (a.entity_type = 'registration' AND a.entity_id IN (SELECT id FROM registrations WHERE event_id = $1::uuid))
        OR (a.entity_type = 'event_staff_access' AND a.entity_id IN (SELECT id FROM event_staff_access WHERE event_id = $1::uuid))
        OR (a.entity_type = 'event_message' AND a.entity_id IN (SELECT id FROM event_messages WHERE event_id = $1::uuid))
      )`;
  const [{ n }] = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n ${scope}`, eventId, organizationId);
  const total = Number(n);
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(requested, totalPages);
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `SELECT a.id, a.created_at, a.action, a.entity_type, a.entity_id, a.changes, a.actor_id,
            u.first_name, u.last_name,
            CASE WHEN a.entity_type = 'ticket_type' THEN COALESCE(
              (SELECT t.name FROM ticket_types t WHERE t.id = a.entity_id),
              (SELECT d.changes->'name'->>'from' FROM audit_logs d
                WHERE d.organization_id = $2::uuid AND d.entity_type = 'ticket_type' AND d.entity_id = a.entity_id AND d.action = 'ticket_type.deleted' LIMIT 1)
            ) WHEN a.entity_type = 'event_message' THEN (SELECT m.subject FROM event_messages m WHERE m.id = a.entity_id)
            END AS ticket_name
       ${scope.replace("FROM audit_logs a", "FROM audit_logs a LEFT JOIN users u ON u.id = a.actor_id")}
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT $3 OFFSET $4`,
    eventId,
    organizationId,
    pageSize,
    (page - 1) * pageSize,
  );
  return {
    items: rows.map((r) => {
      const { changes, notes } = splitChanges(r.changes);
      const name = [r.first_name, r.last_name].filter(Boolean).join(" ");
      return {
        id: r.id,
        createdAt: r.created_at,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        entityLabel: r.ticket_name,
        actor: r.actor_id ? { id: r.actor_id, name: name || "—" } : null,
        changes,
        notes,
      };
    }),
    page,
    pageSize,
    total,
    totalPages,
  };
}
