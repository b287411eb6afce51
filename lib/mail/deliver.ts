// Sends one outbox row through SMTP (the `mail/requested` job). Idempotent: a row that is gone was
// already sent. Permanent SMTP rejections (5xx) are not retried; the row then stays in mail_outbox
// for inspection.
import "server-only";
import { NonRetriableError } from "inngest";
import nodemailer, { type Transporter } from "nodemailer";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type MailTransport = Pick<Transporter, "sendMail">;

/** Timeouts nodemailer would otherwise leave at minutes; a setting in SMTP_URL's query wins. */
// pool: a few connections reused for many messages (an organizer message to thousands would otherwise
// open a connection per email); maxConnections bounds what we ask of the server.
const DEFAULT_SMTP_OPTIONS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000, pool: true, maxConnections: 5, maxMessages: 100 };

/** SMTP_URL with the default options added to its query (nodemailer reads options from the URL). */
export function smtpUrlWithDefaults(url: string): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(DEFAULT_SMTP_OPTIONS)) {
    if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, String(value));
  }
  return parsed.toString();
}

let cached: { url: string; transport: Transporter } | undefined;

/** The SMTP transport of SMTP_URL (smtp://user:pass@host:587, smtps://…:465, options as query), created once. */
export function smtpTransport(): MailTransport {
  const url = env().SMTP_URL;
  if (!url) throw new NonRetriableError("SMTP_URL is not set: the mail stays in mail_outbox (dev mailbox)");
  if (cached?.url !== url) cached = { url, transport: nodemailer.createTransport(smtpUrlWithDefaults(url)) };
  return cached.transport;
}

export type DeliverMailResult = { status: "sent"; messageId: string } | { status: "gone" };

export async function deliverMail(
  { mailId }: { mailId: string },
  { transport }: { transport?: MailTransport } = {},
): Promise<DeliverMailResult> {
  const row = await db.mailOutbox.findUnique({ where: { id: mailId } });
  if (!row) return { status: "gone" };
  const smtp = transport ?? smtpTransport();
  let messageId: string;
  try {
    const info = await smtp.sendMail({
      from: env().MAIL_FROM,
      to: row.to,
      subject: row.subject,
      text: row.text,
      html: row.html ?? undefined,
    });
    messageId = String(info.messageId ?? "");
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (typeof code === "number" && code >= 500 && code < 600) {
      throw new NonRetriableError(`SMTP rejected mail ${mailId} (${code}): ${(error as Error).message}`);
    }
    throw error;
  }
  await db.mailOutbox.deleteMany({ where: { id: mailId } });
  return { status: "sent", messageId };
}
