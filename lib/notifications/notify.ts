// notify(): the one way to send a Telegram message to a user. It writes a PENDING NotificationLog row
// and enqueues `notification/requested` for it in the caller's transaction; delivery happens after
// the commit (lib/notifications/deliver.ts). A rolled-back transaction sends nothing.
import "server-only";
import { z } from "zod";
import type { DbClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { enqueue } from "@/lib/jobs/enqueue";
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

export async function notify(tx: DbClient, options: NotifyOptions): Promise<NotifyResult> {
  const { userId, templateCode, variables = {}, dedupeKey } = options;
  const extra = notificationExtraSchema.parse(options.extra ?? {});
  assertJsonVariables(variables);
  const data = {
    userId,
    templateCode,
    variables: variables as Prisma.InputJsonObject,
    extra: extra as Prisma.InputJsonObject,
    dedupeKey: dedupeKey ?? null,
    // App clock (not the transaction's now()): the runner compares against the same clock.
    nextAttemptAt: new Date(),
  };

  // ON CONFLICT (dedupe_key) DO NOTHING: a duplicate never aborts the caller's transaction.
  const [row] = await tx.notificationLog.createManyAndReturn({ data: [data], skipDuplicates: true, select: { id: true } });
  if (!row) {
    const existing = await tx.notificationLog.findUnique({ where: { dedupeKey: dedupeKey! }, select: { id: true } });
    if (!existing) throw new Error(`notify: dedupe key ${dedupeKey} conflicted but no row was found`);
    return { id: existing.id, created: false };
  }
  await enqueue(tx, "notification/requested", { notificationId: row.id }, { id: `notification:${row.id}` });
  return { id: row.id, created: true };
}
