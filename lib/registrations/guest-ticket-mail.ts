// The guest's ticket email: a guest (no account, so no Telegram ticket) gets the private ticket link
// `${APP_URL}/t/<token>` by email right after registering (docs/registrations.md, "Participant pages").
//
// Written in the sale's transaction, delivered after the commit: the sale statement (sale.ts) inserts
// the `registration/guest-ticket-requested` job (lib/jobs enqueueStatement, the fragment enqueue() runs)
// together with the registration, so the mail exists if and only if the sale committed,
// and an idempotent replay (which runs no sale) never sends it again. The job (lib/worker/functions/
// registrations.ts → deliverGuestTicketMail) renders the mail from the registration — the token is
// derived from its id (tokens.ts), nothing secret is stored — and writes it to the mail outbox (lib/mail:
// SMTP job or the dev mailbox) under a key of the registration, so a retried job adds no second mail.
// `renderGuestTicketMail` is pure (unit-tested).
import "server-only";
import { db, type DbClient } from "@/lib/db";
import type { Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { formatDate as formatWithStyle } from "@/lib/i18n/format/date";
import { kick, sendMail } from "@/lib/mail";
import { renderMail, type RenderedMail } from "@/lib/mail/render";
import { guestTicketUrl } from "./recipients";
import { guestTokenFor, hashGuestToken } from "./tokens";
import { isActiveStatus } from "./transitions";

export type GuestTicketMailInput = {
  firstName: string;
  eventTitle: string;
  startsAt: Date;
  timezone: string;
  ticketTypeName: string;
  confirmationCode: string;
  status: "CONFIRMED" | "RESERVED" | "PENDING" | string;
  expiresAt: Date | null;
  ticketUrl: string;
};

function formatDate(date: Date, timeZone: string, locale: Locale): string {
  return formatWithStyle(date, locale, "long", { timeZone });
}

/** Subject and bodies of the guest ticket email in one language. */
export function renderGuestTicketMail(input: GuestTicketMailInput, locale: Locale): { subject: string } & RenderedMail {
  const t = translatorFor(locale);
  const paragraphs = [
    t("registrations.mail.intro", {
      event: input.eventTitle,
      date: formatDate(input.startsAt, input.timezone, locale),
      type: input.ticketTypeName,
      code: input.confirmationCode,
    }),
  ];
  if (input.status === "RESERVED" && input.expiresAt) {
    paragraphs.push(t("registrations.mail.reserved", { date: formatDate(input.expiresAt, input.timezone, locale) }));
  } else if (input.status === "PENDING" || input.status === "RESERVED") {
    paragraphs.push(t("registrations.mail.pending"));
  }
  const body = renderMail(
    {
      greeting: t("registrations.mail.greeting", { name: input.firstName }),
      paragraphs,
      action: { label: t("registrations.mail.action"), url: input.ticketUrl },
      footer: [t("registrations.mail.keepPrivate")],
      signature: t("registrations.mail.signature"),
    },
    { lang: locale },
  );
  return { subject: t("registrations.mail.subject", { event: input.eventTitle }).replace(/[\r\n]+/g, " ").slice(0, 300), ...body };
}

export { guestTicketUrl };

export type GuestTicketDelivery =
  | { status: "queued"; mailId: string; to: string; created: boolean }
  | { status: "skipped"; reason: "gone" | "not_a_guest" | "no_email" | "inactive" | "token_mismatch" };

/**
 * The job: renders the guest's ticket email from the registration as it is now and writes it to the mail
 * outbox (idempotent: keyed by the registration). Nothing is sent for a registration that is gone, is no
 * longer active (cancelled / expired before the job ran), or whose stored link no longer matches the
 * installation secret (AUTH_SECRET rotated: the link would not open).
 */
export async function deliverGuestTicketMail(options: { registrationId: string; locale: Locale }, tx: DbClient = db): Promise<GuestTicketDelivery> {
  const r = await tx.registration.findUnique({
    where: { id: options.registrationId },
    select: {
      id: true,
      userId: true,
      firstName: true,
      email: true,
      status: true,
      guestTokenHash: true,
      confirmationCode: true,
      expiresAt: true,
      ticketType: { select: { name: true } },
      event: { select: { title: true, startsAt: true, timezone: true } },
    },
  });
  if (!r) return { status: "skipped", reason: "gone" };
  if (r.userId || !r.guestTokenHash) return { status: "skipped", reason: "not_a_guest" };
  if (!r.email) return { status: "skipped", reason: "no_email" };
  if (!isActiveStatus(r.status)) return { status: "skipped", reason: "inactive" };
  const token = guestTokenFor(r.id);
  if (hashGuestToken(token) !== r.guestTokenHash) return { status: "skipped", reason: "token_mismatch" };
  const mail = renderGuestTicketMail(
    {
      firstName: r.firstName,
      eventTitle: r.event.title,
      startsAt: r.event.startsAt,
      timezone: r.event.timezone,
      ticketTypeName: r.ticketType.name,
      confirmationCode: r.confirmationCode,
      status: r.status,
      expiresAt: r.expiresAt,
      ticketUrl: guestTicketUrl(token),
    },
    options.locale,
  );
  const sent = await sendMail({ to: r.email, subject: mail.subject, text: mail.text, html: mail.html }, tx, { key: `guest-ticket:${r.id}` });
  kick();
  return { status: "queued", mailId: sent.id, to: r.email, created: sent.created };
}
