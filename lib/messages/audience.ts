// Who an organizer message goes to: ONE statement shape used by the composer's counts and by the send
// (docs/messages.md → "Organizer messages"). A person is counted and written once (a user by id, a
// guest by address), gets the channels of the routing rule (SQL notification_channels(); a guest gets
// email), and a muted person (message_mutes of the organization) is left out and counted.
import "server-only";
import { sql, type Sql } from "@/lib/db";
import type { MessageAudience } from "./types";

export interface AudienceSpec {
  organizationId: string;
  eventId: string;
  audience: MessageAudience;
  /** TICKET_TYPE only: a type of this event (checked by the caller; the SQL also scopes by event). */
  ticketTypeId?: string | null;
}

/** Registration statuses of each registration audience (WAITLIST reads waitlist entries instead). */
const REGISTRATION_STATUSES: Record<Exclude<MessageAudience, "WAITLIST">, readonly string[]> = {
  ALL_CONFIRMED: ["CONFIRMED", "CHECKED_IN"],
  CHECKED_IN: ["CHECKED_IN"],
  NOT_CHECKED_IN: ["CONFIRMED"],
  TICKET_TYPE: ["CONFIRMED", "CHECKED_IN"],
};

/** The people of the audience before dedupe: key (user id or lower-cased address), user_id, guest email/locale, registration. */
function sources(spec: AudienceSpec): Sql {
  if (spec.audience === "WAITLIST") {
    return sql`SELECT COALESCE(w.user_id::text, lower(btrim(w.email))) AS key, w.user_id,
                      CASE WHEN w.user_id IS NULL THEN lower(btrim(w.email)) END AS email,
                      CASE WHEN w.user_id IS NULL THEN 'RU'::"Locale" END AS locale,
                      NULL::uuid AS registration_id, w.created_at
                 FROM waitlist_entries w
                 JOIN events e ON e.id = w.event_id AND e.tenant_id = ${spec.organizationId}::uuid
                WHERE w.event_id = ${spec.eventId}::uuid AND w.status IN ('WAITING', 'NOTIFIED')
                  AND (w.user_id IS NOT NULL OR w.email IS NOT NULL)`;
  }
  const statuses = REGISTRATION_STATUSES[spec.audience];
  const byType = spec.audience === "TICKET_TYPE" ? sql` AND r.ticket_type_id = ${spec.ticketTypeId ?? null}::uuid` : sql``;
  return sql`SELECT COALESCE(r.user_id::text, lower(btrim(r.email))) AS key, r.user_id,
                    CASE WHEN r.user_id IS NULL THEN lower(btrim(r.email)) END AS email,
                    CASE WHEN r.user_id IS NULL THEN r.locale END AS locale,
                    r.id AS registration_id, r.created_at
               FROM registrations r
              WHERE r.event_id = ${spec.eventId}::uuid AND r.tenant_id = ${spec.organizationId}::uuid
                AND r.status::text = ANY(${[...statuses]}::text[])${byType}
                AND (r.user_id IS NOT NULL OR r.email IS NOT NULL)`;
}

/**
 * The audience as a relation: one row per person with
 * `key, user_id, email, locale, registration_id, channels ("NotificationChannel"[]), muted`.
 * Deleted users are left out. Compose it as a CTE (`WITH aud AS (${audienceSql(spec)}) …`).
 */
export function audienceSql(spec: AudienceSpec): Sql {
  return sql`SELECT p.key, p.user_id, p.email, p.locale, p.registration_id,
                    CASE WHEN p.user_id IS NULL THEN ARRAY['EMAIL']::"NotificationChannel"[]
                         ELSE notification_channels(u.telegram_chat_id, u.email, u.notification_preference, u.email_bounced_at) END AS channels,
                    EXISTS (SELECT 1 FROM message_mutes m
                             WHERE m.tenant_id = ${spec.organizationId}::uuid
                               AND (m.user_id = p.user_id OR (p.user_id IS NULL AND m.email = p.email))) AS muted
               FROM (SELECT DISTINCT ON (s.key) s.* FROM (${sources(spec)}) s ORDER BY s.key, s.created_at) p
               LEFT JOIN users u ON u.id = p.user_id
              WHERE p.user_id IS NULL OR u.deleted_at IS NULL`;
}

/** The composer's counts: people, by channel, without a channel, muted (muted people are not in the others). */
export function audienceCountsSql(spec: AudienceSpec): Sql {
  return sql`WITH aud AS (${audienceSql(spec)})
    SELECT count(*) FILTER (WHERE NOT muted)::int AS recipients,
           count(*) FILTER (WHERE NOT muted AND 'TELEGRAM' = ANY(channels))::int AS telegram,
           count(*) FILTER (WHERE NOT muted AND 'EMAIL' = ANY(channels))::int AS email,
           count(*) FILTER (WHERE NOT muted AND cardinality(channels) = 0)::int AS no_channel,
           count(*) FILTER (WHERE muted)::int AS muted
      FROM aud`;
}
