// Sample values for the template preview, per language. Dates are formatted exactly as delivery
// formats them (formatEventDate in the event's time zone). A variable without a sample shows its name.
import { formatEventDate } from "@/lib/notifications/render";

type PreviewLocale = "ru" | "en";

const EVENT_START = new Date("2027-03-15T16:00:00Z");
const OFFER_UNTIL = new Date("2027-03-10T09:00:00Z");
const PAID_AT = new Date("2027-03-01T12:30:00Z");
const ZONE = "Europe/Moscow";

const SAMPLES: Record<PreviewLocale, Record<string, string>> = {
  ru: {
    firstName: "Анна",
    eventTitle: "Митап «Кофе & код»",
    eventDate: formatEventDate(EVENT_START, ZONE, "ru"),
    eventLocation: "Москва, ул. Льва Толстого, 16",
    eventUrl: "https://aqstream.example/events/coffee-and-code",
    confirmationCode: "K7M2QX9P",
    ticketTypeName: "Стандартный",
    cancellationReason: "Спикер заболел",
    cancelledByOrganizer: "true",
    changeSummary: "дата и место",
    offerExpiresAt: formatEventDate(OFFER_UNTIL, ZONE, "ru"),
    claimUrl: "https://aqstream.example/waitlist/claim",
    amount: "1 500 ₽",
    paidAt: formatEventDate(PAID_AT, ZONE, "ru"),
    receiptNumber: "R-2027-000142",
    refundReason: "Оплата пришла после окончания брони, а свободных мест не осталось",
    refundAmount: "1 500 ₽",
    refundByHand: "",
    remainingAmount: "1 000 ₽",
    dueDate: formatEventDate(EVENT_START, ZONE, "ru"),
    ticketUrl: "https://aqstream.example/dashboard/tickets/1",
    organizationName: "Клуб разработчиков",
    organizationSlug: "dev-club",
    organizationUrl: "https://aqstream.example/dashboard/organizations/dev-club",
    requesterName: "Иван Петров",
    reviewUrl: "https://aqstream.example/dashboard/admin/requests",
    rejectionReason: "Укажите, чем занимается организация",
    requestUrl: "https://aqstream.example/dashboard/organizations/new",
    appUrl: "https://aqstream.example/dashboard",
    onlineUrl: "https://meet.example/coffee-and-code",
    subject: "Парковка у входа B",
    messageBody: "Друзья, вход со двора, парковка у входа B. До встречи!",
    muteUrl: "https://aqstream.example/mute/8f2c1a",
    muteOneClickUrl: "https://aqstream.example/api/messages/mute/8f2c1a",
    channel: "telegram",
  },
  en: {
    firstName: "Anna",
    eventTitle: "Coffee & Code meetup",
    eventDate: formatEventDate(EVENT_START, ZONE, "en"),
    eventLocation: "16 Lva Tolstogo St, Moscow",
    eventUrl: "https://aqstream.example/events/coffee-and-code",
    confirmationCode: "K7M2QX9P",
    ticketTypeName: "Standard",
    cancellationReason: "The speaker is ill",
    cancelledByOrganizer: "true",
    changeSummary: "date and venue",
    offerExpiresAt: formatEventDate(OFFER_UNTIL, ZONE, "en"),
    claimUrl: "https://aqstream.example/waitlist/claim",
    amount: "RUB 1,500",
    paidAt: formatEventDate(PAID_AT, ZONE, "en"),
    receiptNumber: "R-2027-000142",
    refundReason: "The payment arrived after the hold ended and no seat was left",
    refundAmount: "RUB 1,500",
    refundByHand: "",
    remainingAmount: "RUB 1,000",
    dueDate: formatEventDate(EVENT_START, ZONE, "en"),
    ticketUrl: "https://aqstream.example/dashboard/tickets/1",
    organizationName: "Developers Club",
    organizationSlug: "dev-club",
    organizationUrl: "https://aqstream.example/dashboard/organizations/dev-club",
    requesterName: "Ivan Petrov",
    reviewUrl: "https://aqstream.example/dashboard/admin/requests",
    rejectionReason: "Please describe what the organization does",
    requestUrl: "https://aqstream.example/dashboard/organizations/new",
    appUrl: "https://aqstream.example/dashboard",
    onlineUrl: "https://meet.example/coffee-and-code",
    subject: "Parking at entrance B",
    messageBody: "Friends, the entrance is from the yard, parking at entrance B. See you!",
    muteUrl: "https://aqstream.example/mute/8f2c1a",
    muteOneClickUrl: "https://aqstream.example/api/messages/mute/8f2c1a",
    channel: "telegram",
  },
};

/** Values every sender passes (the preview keeps them when optional blocks are hidden). */
const REQUIRED_IN_PREVIEW = new Set([
  "firstName",
  "eventTitle",
  "eventDate",
  "ticketTypeName",
  "confirmationCode",
  "organizationName",
  "requesterName",
  "offerExpiresAt",
  "claimUrl",
  "amount",
  "subject",
  "messageBody",
  "muteUrl",
  "muteOneClickUrl",
  "channel",
]);

/**
 * Values for the given variables. With `optional: false` only the values every sender passes are
 * filled and the rest are empty, which hides the optional `{x, select, empty {} other {…}}` blocks — how a message looks
 * with the least data.
 */
export function sampleValues(variables: ReadonlyArray<string>, locale: PreviewLocale, { optional = true }: { optional?: boolean } = {}): Record<string, string> {
  const samples = SAMPLES[locale];
  return Object.fromEntries(
    variables.map((name) => {
      if (!optional && !REQUIRED_IN_PREVIEW.has(name)) return [name, ""];
      return [name, samples[name] ?? `‹${name}›`];
    }),
  );
}
