// Email. sendMail() writes the message to mail_outbox inside the caller's transaction, so a mail
// exists if and only if the change that caused it committed:
// - SMTP_URL set → it also enqueues `mail/requested`; after the commit the job (lib/jobs/functions/
//   mail.ts → deliverMail) sends it through nodemailer and deletes the row (at-least-once: a crash
//   between sending and deleting sends it again);
// - SMTP_URL unset (development, tests, e2e) → the row stays: the dev mailbox /dev/mail lists it.
// Callers may kick() (lib/jobs) after their commit so the local runner sends at once.
//
// A mail rendered by a job (the guest's ticket email: the sale writes only its job, the job renders the
// mail from the registration) passes a `key`: the row's id is derived from it, so a job that runs again
// adds no second row and no second `mail/requested` (its event id is the row's).
import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { db, type DbClient, withTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs";

export { kick } from "@/lib/jobs";
export { deliverMail, smtpTransport, type DeliverMailResult, type MailTransport } from "./deliver";

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
};

const singleLine = (value: string) => !/[\r\n]/.test(value);

const messageSchema = z.object({
  to: z.email().max(255),
  subject: z.string().min(1).max(300).refine(singleLine, "subject must be one line"),
  text: z.string().min(1).max(100_000),
  html: z.string().max(500_000).optional(),
});

/** Whether mail goes out through SMTP (else it stays in the outbox / dev mailbox). */
export function smtpConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}


/** A UUID derived from `key` (SHA-256, version 8 "custom" bits): the same key always gives the same id. */
export function mailIdOf(key: string): string {
  const b = createHash("sha256").update(`mail:${key}`, "utf8").digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type SendMailOptions = {
  /** Makes the send idempotent: the outbox row's id is derived from the key; a second send with it writes nothing. */
  key?: string;
};

export async function sendMail(
  message: MailMessage,
  tx: DbClient = db,
  options: SendMailOptions = {},
): Promise<{ id: string; via: "smtp" | "outbox"; created: boolean }> {
  const data = messageSchema.parse(message);
  const smtp = smtpConfigured();
  return withTransaction(tx, async (t) => {
    const row = { to: data.to, subject: data.subject, text: data.text, html: data.html ?? null };
    let id: string;
    let created = true;
    if (options.key) {
      id = mailIdOf(options.key);
      created = (await t.mailOutbox.createMany({ data: [{ id, ...row }], skipDuplicates: true })).count === 1;
    } else {
      id = (await t.mailOutbox.create({ data: row, select: { id: true } })).id;
    }
    if (smtp) await enqueue(t, "mail/requested", { mailId: id }, { id: `mail:${id}` });
    return { id, via: smtp ? "smtp" : "outbox", created };
  });
}

/** The dev mailbox is served outside production, or in production with DEV_MAILBOX=1 (the e2e server). */
export function devMailboxEnabled(): boolean {
  const e = env();
  return e.NODE_ENV !== "production" || e.DEV_MAILBOX;
}

export type OutboxMail = { id: string; to: string; subject: string; text: string; createdAt: Date };

/** Outbox rows, newest first (the dev mailbox), optionally for one recipient. */
export async function listOutbox({ to, limit = 50 }: { to?: string; limit?: number } = {}, tx: DbClient = db): Promise<OutboxMail[]> {
  return tx.mailOutbox.findMany({
    where: to ? { to: to.trim().toLowerCase() } : undefined,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 200),
    select: { id: true, to: true, subject: true, text: true, createdAt: true },
  });
}
