// notify(): the one way to send a notice to a user or a guest. It writes a PENDING NotificationLog row per
// channel the routing rule gives (Telegram, email, both) and enqueues `notification/requested` for each in
// the caller's transaction; delivery happens after
// the commit (lib/notifications/deliver.ts). A rolled-back transaction sends nothing.
import "server-only";
import { z } from "zod";
import { randomUUID } from "node:crypto";
import { empty, onPrisma, raw, sql, type DbClient, type Sql, type SqlRunner } from "@/lib/db";
import { enqueueStatement } from "@/lib/jobs";
import { isDateVariable } from "./render";

const localizedText = z.union([z.string().min(1).max(64), z.object({ ru: z.string().min(1).max(64), en: z.string().min(1).max(64) })]);

const buttonSchema = z.union([
  z.object({ text: localizedText, url: z.string().url() }).strict(),
  z
    .object({
      text: localizedText,
      callbackData: z.string().min(1).refine((s) => Buffer.byteLength(s, "utf8") <= 64, "callback_data is limited to 64 bytes"),
    })
    .strict(),
]);

export const notificationExtraSchema = z
  .object({
    /** Image produced at delivery by the resolver of `kind` (lib/notifications/photos.ts); sent with sendPhoto. */
    photo: z.looseObject({ kind: z.string().min(1) }).optional(),
    /** Inline keyboard: one row of buttons, or rows of buttons. */
    buttons: z.union([z.array(buttonSchema).min(1), z.array(z.array(buttonSchema).min(1)).min(1)]).optional(),
    disableLinkPreview: z.boolean().optional(),
  })
  .strict();

export type NotificationButton = z.infer<typeof buttonSchema>;
export type NotificationExtra = z.infer<typeof notificationExtraSchema>;

/** A guest (a registration without an account): email only, in the registration's language. */
export interface NoticeGuest {
  email: string;
  locale: "RU" | "EN";
  registrationId: string;
}

export interface NotifyOptions {
  /** The recipient: a user (channels by notification_channels(), docs/messages.md) … */
  userId?: string;
  /** … or a guest (email). Exactly one of userId / guest. */
  guest?: NoticeGuest;
  templateCode: string;
  /** Template values. Strings/numbers/booleans; dates as dateVar(date, event.timezone). Captured now, rendered at delivery. */
  variables?: Record<string, unknown>;
  extra?: NotificationExtra;
  /** One logical message (e.g. `reminder:24h:${registrationId}`): a second notify with it is a no-op (per channel). */
  dedupeKey?: string;
  /** The registration the notice is about (the email attaches its QR and .ics when the template asks). */
  registrationId?: string;
}

export interface NotifyResult {
  /** The first row written (Telegram before email); with dedupeKey, an existing row's id. */
  id: string;
  /** False when a notification with this dedupeKey already existed (nothing new was queued). */
  created: boolean;
}

/** Why a row was FAILED at once: the recipient had no usable channel (shown, never dropped). */
export const NO_CHANNEL_MESSAGE = "No channel: no Telegram chat linked and no usable email";

const guestSchema = z.object({ email: z.email().max(255), locale: z.enum(["RU", "EN"]), registrationId: z.uuid() }).strict();

function assertJsonVariables(variables: Record<string, unknown>): void {
  const check = (value: unknown, path: string) => {
    if (value instanceof Date) throw new Error(`notify: variable ${path} is a Date; pass dateVar(date, timeZone) so it is shown in the event's time zone`);
    if (value === undefined || value === null || ["string", "number", "boolean"].includes(typeof value)) return;
    if (Array.isArray(value)) return value.forEach((v, i) => check(v, `${path}[${i}]`));
    if (typeof value === "object" && !isDateVariable(value)) {
      for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`);
      return;
    }
    if (typeof value !== "object") throw new Error(`notify: variable ${path} has unsupported type ${typeof value}`);
  };
  for (const [k, v] of Object.entries(variables)) check(v, k);
}

type NoticeRow = { inserted_id: string | null; existing_id: string | null };

/**
 * The notice rule as CTEs of one statement. `<as>_to` is the recipient with the channels the routing
 * rule gives it (SQL notification_channels(): the one place that decides Telegram / email / both /
 * none; a guest gets email); then one PENDING NotificationLog row per channel (`<as>_tg`,
 * `<as>_email`, ON CONFLICT on (dedupe key, channel) DO NOTHING) each with its `notification/requested`
 * job (lib/jobs enqueueStatement, only when its row was inserted), or one FAILED row with channel null
 * when there is no channel (`<as>_none`: shown, never silently dropped). `<as>` lists the inserted ids.
 * `when` — a relation of the enclosing statement — makes everything conditional on that relation
 * having a row (the sale's `reg`). notify() runs these CTEs alone; the sale statement composes them.
 * Values are checked here, in the app.
 */
export function noticeCtes(options: NotifyOptions, composition: { as?: string; when?: string; runAt?: Date } = {}): { sql: Sql; id: string } {
  const { userId, templateCode, variables = {}, dedupeKey } = options;
  if (Boolean(userId) === Boolean(options.guest)) throw new Error("notify: exactly one of userId and guest");
  const guest = options.guest ? guestSchema.parse(options.guest) : null;
  const extra = notificationExtraSchema.parse(options.extra ?? {});
  assertJsonVariables(variables);
  const as = composition.as ?? "notice";
  if (!/^[a-z_][a-z0-9_]*$/.test(as) || (composition.when && !/^[a-z_][a-z0-9_]*$/.test(composition.when))) throw new Error("noticeCtes: bad relation name");
  const registrationId = guest?.registrationId ?? options.registrationId ?? null;
  const ids = { TELEGRAM: randomUUID(), EMAIL: randomUUID(), none: randomUUID() };
  // App clock (not the transaction's now()): the runner compares against the same clock.
  const nextAttemptAt = composition.runAt ?? new Date();
  const when = composition.when ? raw(composition.when) : null;
  const recipient = guest
    ? sql`SELECT NULL::uuid AS user_id, ${guest.email.trim().toLowerCase()}::text AS email, ${guest.locale}::"Locale" AS locale,
             ARRAY['EMAIL']::"NotificationChannel"[] AS channels${when ? sql` FROM ${when}` : empty}`
    : sql`SELECT u.id AS user_id, NULL::text AS email, NULL::"Locale" AS locale,
             notification_channels(u.telegram_chat_id, u.email, u.notification_preference, u.email_bounced_at) AS channels
        FROM users u${when ? sql`, ${when}` : empty}
       WHERE u.id = ${userId!}::uuid AND u.deleted_at IS NULL`;
  const insert = (id: string, channel: "TELEGRAM" | "EMAIL" | null, condition: Sql) => sql`
      INSERT INTO notification_logs (id, user_id, channel, email, locale, registration_id, template_code, variables, extra, dedupe_key,
                                     status, error_message, next_attempt_at, created_at, updated_at)
      SELECT ${id}::uuid, t.user_id, ${channel}::"NotificationChannel", t.email, t.locale, ${registrationId}::uuid, ${templateCode},
             ${JSON.stringify(variables)}::jsonb, ${JSON.stringify(extra)}::jsonb, ${dedupeKey ?? null}::text,
             ${channel ? "PENDING" : "FAILED"}::"NotificationStatus", ${channel ? null : NO_CHANNEL_MESSAGE}::text,
             ${nextAttemptAt}::timestamptz, now(), now()
        FROM ${raw(`${as}_to`)} t WHERE ${condition}
      ON CONFLICT DO NOTHING
      RETURNING id`;
  const job = (channel: "TELEGRAM" | "EMAIL", relation: string) =>
    enqueueStatement("notification/requested", { notificationId: ids[channel] }, { id: `notification:${ids[channel]}`, runAt: nextAttemptAt, when: relation });
  return {
    id: ids.TELEGRAM,
    sql: sql`${raw(`${as}_to`)} AS (${recipient}),
    ${raw(`${as}_tg`)} AS (${insert(ids.TELEGRAM, "TELEGRAM", sql`'TELEGRAM' = ANY(t.channels)`)}),
    ${raw(`${as}_email`)} AS (${insert(ids.EMAIL, "EMAIL", sql`'EMAIL' = ANY(t.channels)`)}),
    ${raw(`${as}_none`)} AS (${insert(ids.none, null, sql`cardinality(t.channels) = 0`)}),
    ${raw(as)} AS (SELECT id FROM ${raw(`${as}_tg`)} UNION ALL SELECT id FROM ${raw(`${as}_email`)} UNION ALL SELECT id FROM ${raw(`${as}_none`)}),
    ${raw(`${as}_jobs`)} AS (${job("TELEGRAM", `${as}_tg`)}),
    ${raw(`${as}_jobs_email`)} AS (${job("EMAIL", `${as}_email`)})`,
  };
}

/** Writes one notice in the caller's transaction (noticeCtes, run alone). */
export async function notify(tx: DbClient | SqlRunner, options: NotifyOptions): Promise<NotifyResult> {
  const run = "rows" in tx ? tx : onPrisma(tx);
  const { sql: ctes } = noticeCtes(options);
  // ON CONFLICT (dedupe_key) DO NOTHING: a duplicate never aborts the caller's transaction.
  const [row] = await run.rows<NoticeRow>(sql`WITH ${ctes}
    SELECT (SELECT id FROM notice LIMIT 1) AS inserted_id,
           (SELECT id FROM notification_logs WHERE dedupe_key = ${options.dedupeKey ?? null}::text ORDER BY channel NULLS LAST LIMIT 1) AS existing_id`);
  if (row.inserted_id) return { id: row.inserted_id, created: true };
  if (row.existing_id) return { id: row.existing_id, created: false };
  // The conflicting row was committed by a concurrent transaction after this statement's snapshot.
  const [later] = await run.rows<{ id: string }>(sql`SELECT id FROM notification_logs WHERE dedupe_key = ${options.dedupeKey ?? null}::text ORDER BY channel NULLS LAST LIMIT 1`);
  if (!later) throw new Error(`notify: dedupe key ${options.dedupeKey} conflicted but no row was found`);
  return { id: later.id, created: false };
}
