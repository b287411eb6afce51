// A registration as the recipient of a notice (docs/messages.md): its account — channels by the routing
// rule, the user's language — or, for a guest (no account), its email address in the registration's
// language. And the ticket's page each of them opens. Small and dependency-free so lib/events and
// lib/payments use it without importing the registration services.
import "server-only";
import { env } from "@/lib/env";
import type { NotifyOptions } from "@/lib/notifications";
import { guestTokenFor } from "./tokens";

/**
 * A registration as a notice recipient: its account (channels by the routing rule, the user's language)
 * or, for a guest, its email address in the registration's language (docs/messages.md).
 */
export type NoticeRecipientRow = { id: string; userId: string | null; email: string | null; locale: "RU" | "EN" };

/** notify()'s recipient fields for a registration; null for a guest without an address (nobody to tell). */
export function noticeRecipient(r: NoticeRecipientRow): { userId: string; registrationId: string } | { guest: NonNullable<NotifyOptions["guest"]>; registrationId: string } | null {
  if (r.userId) return { userId: r.userId, registrationId: r.id };
  if (!r.email) return null;
  return { guest: { email: r.email, locale: r.locale, registrationId: r.id }, registrationId: r.id };
}

function appUrl(): string {
  return env().APP_URL.replace(/\/+$/, "");
}

/** `${APP_URL}/t/<token>`: a guest's private ticket page. */
export function guestTicketUrl(token: string): string {
  return `${appUrl()}/t/${token}`;
}

/** The ticket's page: the account's ticket page for a user, the private link for a guest. */
export function ticketUrlOf(r: Pick<NoticeRecipientRow, "id" | "userId">): string {
  return r.userId ? `${appUrl()}/dashboard/tickets/${r.id}` : guestTicketUrl(guestTokenFor(r.id));
}

