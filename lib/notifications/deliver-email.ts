// Delivery of one email NotificationLog row (channel EMAIL), dispatched by deliverNotification
// (deliver.ts). The same claim / lease / attempts model as Telegram (./claim.ts); docs/notifications.md.
//
// - Recipient: a guest row's address and language (row.email, row.locale); a user row's current
//   address and language (FAILED "no usable email" when the user has none or it bounced).
// - Content: the template (database row, else the system definition; an empty subject falls back to
//   the system subject) rendered once as Telegram HTML, then as an email (./email: React Email HTML +
//   plain text). URL buttons become email buttons. A ticket notice attaches the QR (inline, by cid) and
//   an .ics invite. An organizer message carries List-Unsubscribe (+ -Post, RFC 8058) and a footer link;
//   every other notice is transactional and has neither.
// - SMTP answers: 5xx → FAILED with the server's reason, and "no such mailbox" (550/551/553 without an
//   enhanced status, or an enhanced status 5.1.x) also marks the address bounced on every user who has
//   it; 4xx, connection errors and timeouts → retry with backoff, FAILED after the last attempt.
// - Organizer messages are at most once: send_started_at is recorded before SMTP is called; a row
//   claimed again with it set is FAILED as "outcome unknown".
// - Without SMTP_URL the email goes to the dev mailbox (mail_outbox, /dev/mail) and the row is SENT.
import "server-only";
import { db as defaultDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { publicEventPath } from "@/lib/events/paths";
import type { NotificationLog } from "@/lib/generated/prisma/client";
import { sendMail, smtpConfigured, smtpTransport, type MailTransport } from "@/lib/mail";
import { OUTCOME_UNKNOWN_MESSAGE, claimRow, fail, markSendStarted, markSent, notClaimed, retryOrFail, type DeliveryOutcome } from "./claim";
import { renderNoticeEmail, renderSubject, oneLineSubject, telegramHtmlToText, type EmailButton } from "./email";
import { buildIcs } from "./email/ics";
import type { NotificationButton, NotificationExtra } from "./notify";
import "./photo-resolvers";
import { resolvePhoto, type PhotoSpec } from "./photos";
import { renderTemplate, templateBodyFor, type Locale } from "./render";
import { systemTemplate } from "./system-templates";
import { resolveNoticeVariables } from "./variables";

export const NO_USABLE_EMAIL_MESSAGE = "No usable email: the user has no email address or it bounced";
/** The inline QR image's Content-ID (referenced by the HTML as cid:…). */
export const TICKET_QR_CID = "ticket-qr@aqstream";

export interface EmailDeliveryOptions {
  db?: Db;
  now?: Date;
  /** Default: SMTP_URL's transport when set; null (or SMTP_URL unset) → the dev outbox. */
  transport?: MailTransport | null;
  /** First retry delay after a temporary failure (NOTIFICATIONS_RETRY_BASE_MS, default 10 s). */
  retryBaseMs?: number;
  maxAttempts?: number;
}

/** A rendered notice email, ready for nodemailer. */
export interface NoticeMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  attachments: Array<{ filename: string; content: Buffer | string; contentType: string; cid?: string; contentDisposition?: "inline" | "attachment" }>;
}

/** The host of APP_URL (Message-IDs, calendar UIDs). */
function appHost(): string {
  try {
    return new URL(env().APP_URL).hostname || "aqstream.local";
  } catch {
    return "aqstream.local";
  }
}

/** extra.buttons → the URL buttons in the recipient's language (callback buttons mean nothing in email). */
export function emailButtonsOf(buttons: NotificationExtra["buttons"], locale: Locale): EmailButton[] {
  if (!buttons?.length) return [];
  const flat = (Array.isArray(buttons[0]) ? (buttons as NotificationButton[][]).flat() : (buttons as NotificationButton[])) ?? [];
  return flat.flatMap((b) => ("url" in b ? [{ label: typeof b.text === "string" ? b.text : locale === "EN" ? b.text.en : b.text.ru, url: b.url }] : []));
}

type SmtpError = Error & { responseCode?: number; response?: string; code?: string };

/** How an SMTP failure is handled: permanent (with or without "no such mailbox") or temporary. */
export function classifySmtpError(error: unknown): { kind: "permanent" | "temporary"; bounced: boolean; reason: string } {
  const e = (error ?? {}) as SmtpError;
  const reason = (e.response || e.message || String(error)).replace(/\s+/g, " ").trim().slice(0, 500);
  const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
  if (code !== undefined && code >= 500 && code < 600) {
    const enhanced = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(e.response ?? e.message ?? "");
    const bounced = enhanced ? enhanced[1] === "5" && enhanced[2] === "1" : [550, 551, 553].includes(code);
    return { kind: "permanent", bounced, reason };
  }
  // 4xx, a dropped connection, a timeout, DNS: worth another try.
  return { kind: "temporary", bounced: false, reason };
}

/** The recipient of a claimed row: address and language, or why there is none. */
async function recipientOf(db: Db, row: NotificationLog): Promise<{ to: string; locale: Locale } | { error: string }> {
  if (!row.userId) {
    if (!row.email) return { error: NO_USABLE_EMAIL_MESSAGE };
    return { to: row.email, locale: row.locale === "EN" ? "EN" : "RU" };
  }
  const user = await db.user.findUnique({ where: { id: row.userId }, select: { email: true, emailBouncedAt: true, locale: true, deletedAt: true } });
  if (!user || user.deletedAt) return { error: "User no longer exists" };
  if (!user.email || user.emailBouncedAt) return { error: NO_USABLE_EMAIL_MESSAGE };
  return { to: user.email, locale: user.locale === "EN" ? "EN" : "RU" };
}

/** The template to render: the database row (empty subjects → the system subject), else the system definition. */
async function templateOf(db: Db, code: string) {
  const system = systemTemplate(code);
  const row = await db.notificationTemplate.findUnique({ where: { code }, select: { subject: true, subjectEn: true, body: true, bodyEn: true } });
  if (!row) return system ? { subject: system.subject, subjectEn: system.subjectEn, body: system.body, bodyEn: system.bodyEn } : null;
  const own = row.subject.trim() !== "";
  return {
    body: row.body,
    bodyEn: row.bodyEn,
    subject: own ? row.subject : (system?.subject ?? ""),
    subjectEn: own ? row.subjectEn : (system?.subjectEn ?? ""),
  };
}

/** The .ics invite of a registration's event (null when the registration is gone). */
async function calendarInvite(db: Db, registrationId: string, host: string): Promise<string | null> {
  const registration = await db.registration.findUnique({
    where: { id: registrationId },
    select: {
      event: {
        select: { title: true, startsAt: true, endsAt: true, locationType: true, locationAddress: true, slug: true, organization: { select: { slug: true } } },
      },
    },
  });
  if (!registration) return null;
  const { event } = registration;
  const url = `${env().APP_URL.replace(/\/+$/, "")}${publicEventPath(event.organization.slug, event.slug)}`;
  return buildIcs({
    uid: `registration-${registrationId}@${host}`,
    start: event.startsAt,
    end: event.endsAt,
    summary: event.title,
    location: event.locationType === "ONLINE" ? null : event.locationAddress,
    description: url,
    url,
  });
}

/**
 * Renders a claimed row as an email (recipient, template, variables, buttons, attachments). Throws
 * when the template does not render; `{ error }` when there is no one to send it to.
 */
async function composeNoticeMail(db: Db, row: NotificationLog, to: string, locale: Locale): Promise<NoticeMail | { error: string }> {
  const template = await templateOf(db, row.templateCode);
  if (!template) return { error: `Unknown notification template ${row.templateCode}` };
  const variables = await resolveNoticeVariables(row, { locale });
  let bodyHtml: string;
  let subject: string;
  try {
    bodyHtml = renderTemplate(templateBodyFor(template, locale), variables, locale);
    subject = renderSubject(template, variables, locale);
  } catch (error) {
    return { error: `Template ${row.templateCode} does not render: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!bodyHtml) return { error: `Template ${row.templateCode} rendered an empty message` };
  // No subject anywhere (an admin's own template without one): the message's first line.
  subject ||= oneLineSubject(telegramHtmlToText(bodyHtml).split("\n")[0] ?? "", 120) || "AqStream";

  const extra = (row.extra ?? {}) as NotificationExtra;
  const host = appHost();
  const attachments: NoticeMail["attachments"] = [];
  let qrCid: string | undefined;
  if (extra.photo?.kind === "ticket") {
    const photo = await resolvePhoto(extra.photo as PhotoSpec);
    if (photo) {
      qrCid = TICKET_QR_CID;
      attachments.push({
        filename: photo.filename ?? "ticket.png",
        content: Buffer.from(photo.data),
        contentType: photo.contentType ?? "image/png",
        cid: TICKET_QR_CID,
        contentDisposition: "inline",
      });
    }
    const registrationId = row.registrationId ?? (typeof extra.photo.registrationId === "string" ? extra.photo.registrationId : null);
    const ics = registrationId ? await calendarInvite(db, registrationId, host) : null;
    if (ics) attachments.push({ filename: "event.ics", content: ics, contentType: "text/calendar; charset=utf-8; method=PUBLISH", contentDisposition: "attachment" });
  }

  // Organizer messages only (docs/messages.md): the one-click mute link.
  const muteUrl = row.messageId && typeof variables.muteUrl === "string" && /^https?:\/\//i.test(variables.muteUrl) ? variables.muteUrl : undefined;
  const rendered = await renderNoticeEmail({ subject, bodyHtml, buttons: emailButtonsOf(extra.buttons, locale), locale, unsubscribeUrl: muteUrl, qrCid });
  const headers: Record<string, string> = {};
  if (muteUrl) {
    // RFC 8058: the one-click address takes the mail client's POST (the page asks first, for people).
    const oneClick = typeof variables.muteOneClickUrl === "string" && /^https?:\/\//i.test(variables.muteOneClickUrl) ? variables.muteOneClickUrl : muteUrl;
    headers["List-Unsubscribe"] = `<${oneClick}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return { to, subject: rendered.subject, text: rendered.text, html: rendered.html, messageId: `<${row.id}@${host}>`, headers, attachments };
}

export async function deliverEmailNotification(id: string, options: EmailDeliveryOptions = {}): Promise<DeliveryOutcome> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();

  // 1. Claim the row (only email rows: a Telegram row is never touched here).
  const row = await claimRow(db, id, now, "EMAIL");
  if (!row) return notClaimed(db, id, now);
  if (row.messageId && row.sendStartedAt) return fail(db, row, OUTCOME_UNKNOWN_MESSAGE);

  // 2. Recipient and content.
  const recipient = await recipientOf(db, row);
  if ("error" in recipient) return fail(db, row, recipient.error);
  const { to, locale } = recipient;
  const retry = (description: string, body?: string) =>
    retryOrFail(db, row, description, now, {
      retryBaseMs: options.retryBaseMs ?? env().NOTIFICATIONS_RETRY_BASE_MS,
      maxAttempts: options.maxAttempts,
      label: "Email",
      fields: { email: to, body },
    });

  let mail: NoticeMail | { error: string };
  try {
    mail = await composeNoticeMail(db, row, to, locale);
  } catch (error) {
    // The variables' resolver or an attachment (the QR) failed: worth another try.
    return retry(`the email could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
  }
  if ("error" in mail) return fail(db, row, mail.error, { email: to });

  // 3a. No SMTP: the dev mailbox (mail_outbox) is the delivery.
  const transport = options.transport === undefined ? (smtpConfigured() ? smtpTransport() : null) : options.transport;
  if (!transport) {
    await sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html }, db, { key: `notice:${row.id}` });
    await markSent(db, row, { email: mail.to, body: mail.text });
    return { status: "sent", messageId: mail.messageId, via: "outbox" };
  }

  // 3b. SMTP. An organizer message first records that its send started (at most once).
  if (row.messageId) await markSendStarted(db, row.id);
  try {
    await transport.sendMail({
      from: env().MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: mail.headers,
      attachments: mail.attachments,
    });
  } catch (error) {
    const smtp = classifySmtpError(error);
    if (smtp.kind === "temporary") return retry(smtp.reason, mail.text);
    const reason = `${smtp.bounced ? "Mailbox does not exist" : "Refused by the mail server"}: ${smtp.reason}`;
    if (smtp.bounced && row.userId === null) return fail(db, row, reason, { email: to, body: mail.text });
    if (smtp.bounced) {
      // Every account with this address: their next notices go by Telegram or are shown as "no channel".
      await db.$transaction([
        db.user.updateMany({ where: { email: { equals: to, mode: "insensitive" }, emailBouncedAt: null }, data: { emailBouncedAt: new Date() } }),
        db.notificationLog.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "FAILED", errorMessage: reason, email: to, body: mail.text } }),
      ]);
      return { status: "failed", reason };
    }
    return fail(db, row, reason, { email: to, body: mail.text });
  }

  await markSent(db, row, { email: mail.to, body: mail.text });
  return { status: "sent", messageId: mail.messageId, via: "smtp" };
}
