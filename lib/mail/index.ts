// Email. sendMail() writes the message to mail_outbox inside the caller's transaction, so a mail
// exists if and only if the change that caused it committed:
// - SMTP_URL set → it also enqueues `mail/requested`; after the commit the job (lib/jobs/functions/
//   mail.ts → deliverMail) sends it through nodemailer and deletes the row (at-least-once: a crash
//   between sending and deleting sends it again);
// - SMTP_URL unset (development, tests, e2e) → the row stays: the dev mailbox /dev/mail lists it.
// Callers may kick() (lib/jobs) after their commit so the local runner sends at once.
import "server-only";
import { z } from "zod";
import { db, type DbClient } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { enqueue } from "@/lib/jobs/enqueue";

export { kick } from "@/lib/jobs/enqueue";

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

/** Runs `fn` in the given transaction, or in a new one when given the root client. */
function inTransaction<T>(tx: DbClient, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return "$transaction" in tx ? tx.$transaction(fn) : fn(tx);
}

export async function sendMail(message: MailMessage, tx: DbClient = db): Promise<{ id: string; via: "smtp" | "outbox" }> {
  const data = messageSchema.parse(message);
  const smtp = smtpConfigured();
  return inTransaction(tx, async (t) => {
    const row = await t.mailOutbox.create({
      data: { to: data.to, subject: data.subject, text: data.text, html: data.html ?? null },
      select: { id: true },
    });
    if (smtp) await enqueue(t, "mail/requested", { mailId: row.id }, { id: `mail:${row.id}` });
    return { id: row.id, via: smtp ? "smtp" : "outbox" };
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
