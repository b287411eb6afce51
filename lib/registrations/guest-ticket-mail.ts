// The guest's ticket email: a guest (no account, so no Telegram ticket) gets the private ticket link
// `${APP_URL}/t/<token>` by email right after registering (docs/registrations.md, "Participant pages").
//
// `renderGuestTicketMail` is pure (unit-tested); `sendGuestTicketMail` reads the registration and
// writes the mail to the outbox (lib/mail: SMTP job or the dev mailbox), then kicks the job runner.
// Called by the entry point after a NEW guest registration (not after an idempotent replay).
import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Locale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { formatDate as formatWithStyle } from "@/lib/i18n/format/date";
import { kick, sendMail } from "@/lib/mail";
import { renderMail, type RenderedMail } from "@/lib/mail/render";
import { hashGuestToken, isTokenShaped } from "./tokens";

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

/** `${APP_URL}/t/<token>`: the guest's private ticket page. */
export function guestTicketUrl(token: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/t/${token}`;
}

/**
 * Sends the ticket link to the guest registration's email. Returns the address it went to, or null
 * when the token matches no guest registration with an email.
 */
export async function sendGuestTicketMail(options: { token: string; locale: Locale }): Promise<string | null> {
  if (!isTokenShaped(options.token)) return null;
  const r = await db.registration.findFirst({
    where: { guestTokenHash: hashGuestToken(options.token), userId: null },
    select: {
      firstName: true,
      email: true,
      status: true,
      confirmationCode: true,
      expiresAt: true,
      ticketType: { select: { name: true } },
      event: { select: { title: true, startsAt: true, timezone: true } },
    },
  });
  if (!r?.email) return null;
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
      ticketUrl: guestTicketUrl(options.token),
    },
    options.locale,
  );
  await sendMail({ to: r.email, subject: mail.subject, text: mail.text, html: mail.html });
  kick();
  return r.email;
}
