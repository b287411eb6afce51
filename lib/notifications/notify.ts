// notify(): the one way to send a Telegram message to a user. It writes a PENDING NotificationLog row
// and enqueues `notification/requested` for it in the caller's transaction; delivery happens after
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

export interface NotifyOptions {
  userId: string;
  templateCode: string;
  /** Template values. Strings/numbers/booleans; dates as dateVar(date, event.timezone). Captured now, rendered at delivery. */
  variables?: Record<string, unknown>;
  extra?: NotificationExtra;
  /** One logical message (e.g. `reminder:24h:${registrationId}`): a second notify with it is a no-op. */
  dedupeKey?: string;
}

export interface NotifyResult {
  id: string;
  /** False when a notification with this dedupeKey already existed (nothing new was queued). */
  created: boolean;
}

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
 * The notice rule as CTEs of one statement: the PENDING NotificationLog row (ON CONFLICT on its dedupe
 * key DO NOTHING) and its `notification/requested` jobs (lib/jobs enqueueStatement, only when the row
 * was inserted). `as` names the CTEs (`<as>`, `<as>_jobs`); `when` — a relation of the enclosing
 * statement — makes everything conditional on that relation having a row (the sale's `reg`). notify()
 * runs these CTEs alone; the sale statement composes them. Values are checked here, in the app.
 */
export function noticeCtes(options: NotifyOptions, composition: { as?: string; when?: string; runAt?: Date } = {}): { sql: Sql; id: string } {
  const { userId, templateCode, variables = {}, dedupeKey } = options;
  const extra = notificationExtraSchema.parse(options.extra ?? {});
  assertJsonVariables(variables);
  const as = composition.as ?? "notice";
  if (!/^[a-z_][a-z0-9_]*$/.test(as) || (composition.when && !/^[a-z_][a-z0-9_]*$/.test(composition.when))) throw new Error("noticeCtes: bad relation name");
  const id = randomUUID();
  // App clock (not the transaction's now()): the runner compares against the same clock.
  const nextAttemptAt = composition.runAt ?? new Date();
  const source = composition.when ? sql` FROM ${raw(composition.when)}` : empty;
  const jobs = enqueueStatement("notification/requested", { notificationId: id }, { id: `notification:${id}`, runAt: nextAttemptAt, when: as });
  return {
    id,
    sql: sql`${raw(as)} AS (
      INSERT INTO notification_logs (id, user_id, template_code, variables, extra, dedupe_key, next_attempt_at, created_at, updated_at)
      SELECT ${id}::uuid, ${userId}::uuid, ${templateCode}, ${JSON.stringify(variables)}::jsonb, ${JSON.stringify(extra)}::jsonb,
             ${dedupeKey ?? null}::text, ${nextAttemptAt}::timestamptz, now(), now()${source}
      ON CONFLICT DO NOTHING
      RETURNING id
    ), ${raw(`${as}_jobs`)} AS (${jobs})`,
  };
}

/** Writes one notice in the caller's transaction (noticeCtes, run alone). */
export async function notify(tx: DbClient | SqlRunner, options: NotifyOptions): Promise<NotifyResult> {
  const run = "rows" in tx ? tx : onPrisma(tx);
  const { sql: ctes } = noticeCtes(options);
  // ON CONFLICT (dedupe_key) DO NOTHING: a duplicate never aborts the caller's transaction.
  const [row] = await run.rows<NoticeRow>(sql`WITH ${ctes}
    SELECT (SELECT id FROM notice) AS inserted_id,
           (SELECT id FROM notification_logs WHERE dedupe_key = ${options.dedupeKey ?? null}::text) AS existing_id`);
  if (row.inserted_id) return { id: row.inserted_id, created: true };
  if (row.existing_id) return { id: row.existing_id, created: false };
  // The conflicting row was committed by a concurrent transaction after this statement's snapshot.
  const [later] = await run.rows<{ id: string }>(sql`SELECT id FROM notification_logs WHERE dedupe_key = ${options.dedupeKey ?? null}::text`);
  if (!later) throw new Error(`notify: dedupe key ${options.dedupeKey} conflicted but no row was found`);
  return { id: later.id, created: false };
}
