// The links a ticket page offers: the event page, registering again, add to calendar (Google link and
// the public .ics route, lib/events/calendar.ts) and the bot's deep link `ticket_<code>` when a
// Telegram bot is configured.
import "server-only";
import { env } from "@/lib/env";
import { googleCalendarUrl } from "@/lib/events/calendar";
import { publicEventPath } from "@/lib/events/paths";
import type { TicketView } from "@/lib/registrations/queries";
import { botDeepLink, isTelegramConfigured } from "@/lib/telegram/bot-config";
import type { TicketLinks } from "./ticket-details";

export async function ticketLinks(ticket: TicketView, onlineLabel: string): Promise<TicketLinks> {
  const e = ticket.event;
  const eventPath = publicEventPath(e.organizationSlug, e.slug);
  const url = `${env().APP_URL.replace(/\/+$/, "")}${eventPath}`;
  let telegramHref: string | null = null;
  if (isTelegramConfigured()) {
    try {
      telegramHref = await botDeepLink(`ticket_${ticket.confirmationCode}`);
    } catch {
      telegramHref = null; // the bot's username is unknown right now: no link rather than a broken page
    }
  }
  return {
    eventPath,
    registerPath: `${eventPath}/register`,
    calendar: {
      googleUrl: googleCalendarUrl({
        id: e.id,
        title: e.title,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        timezone: e.timezone,
        location: e.locationType === "ONLINE" ? onlineLabel : e.locationAddress,
        url,
        organizerName: e.organizationName,
      }),
      icsHref: `${eventPath}/calendar.ics`,
    },
    telegramHref,
  };
}
