// Values of the event and ticket-type forms (pure: server pages build the defaults, the client
// forms hold them).
import { DEFAULT_REFUND_POLICY, WAITLIST_OFFER_MINUTES_DEFAULT, type CurrencyCode, type LOCATION_TYPES, type PARTICIPANTS_VISIBILITIES } from "@/lib/validation/events";

/** What the form holds (every value as typed). */
export type EventFormState = {
  title: string;
  slug: string;
  description: string;
  timezone: string;
  startsAt: string;
  endsAt: string;
  locationType: (typeof LOCATION_TYPES)[number];
  locationAddress: string;
  locationUrl: string;
  groupId: string;
  coverImageId: string;
  participantsVisibility: (typeof PARTICIPANTS_VISIBILITIES)[number];
  /** The 24-hour and the online event's morning reminder. */
  remindersEnabled: boolean;
  settings: {
    registrationFields: { key: string; label: string; type: "text" | "select" | "checkbox"; required: boolean; options?: string[] }[];
    allowGuests: boolean;
    waitlistOfferMinutes: number | string;
    cancelUnpaidPrepayments: boolean;
    refundPolicy: { untilHoursBeforeStart: number | string; percent: number | string };
  };
};

/** Common zones for the picker (the event's own zone is added when it is not among them). */
export const COMMON_TIME_ZONES = [
  "Europe/Kaliningrad",
  "Europe/Moscow",
  "Europe/Samara",
  "Asia/Yekaterinburg",
  "Asia/Omsk",
  "Asia/Novosibirsk",
  "Asia/Krasnoyarsk",
  "Asia/Irkutsk",
  "Asia/Yakutsk",
  "Asia/Vladivostok",
  "Asia/Magadan",
  "Asia/Kamchatka",
  "Europe/Minsk",
  "Europe/Kyiv",
  "Asia/Almaty",
  "Asia/Tashkent",
  "Asia/Bishkek",
  "Asia/Tbilisi",
  "Asia/Yerevan",
  "Asia/Baku",
  "Europe/Istanbul",
  "Asia/Dubai",
  "Europe/Berlin",
  "Europe/Paris",
  "Europe/London",
  "America/New_York",
  "America/Los_Angeles",
  "UTC",
] as const;

/** A fresh form (a week ahead at 19:00 Moscow time is left to the organizer: dates start empty). */
export function emptyEventForm(): EventFormState {
  return {
    title: "",
    slug: "",
    description: "",
    timezone: "Europe/Moscow",
    startsAt: "",
    endsAt: "",
    locationType: "OFFLINE",
    locationAddress: "",
    locationUrl: "",
    groupId: "",
    coverImageId: "",
    participantsVisibility: "CLOSED",
    remindersEnabled: true,
    settings: { registrationFields: [], allowGuests: false, waitlistOfferMinutes: WAITLIST_OFFER_MINUTES_DEFAULT, cancelUnpaidPrepayments: false, refundPolicy: { ...DEFAULT_REFUND_POLICY } },
  };
}

export type TicketTypeFormState = {
  name: string;
  description: string;
  price: string;
  currency: CurrencyCode;
  quantity: string;
  reservationMinutes: string;
  prepaymentPercent: string;
  salesStart: string;
  salesEnd: string;
  isActive: boolean;
  /** Sold only with a promo code naming the type (lib/promo). */
  isHidden: boolean;
};

export const EMPTY_TICKET_TYPE: TicketTypeFormState = {
  name: "",
  description: "",
  price: "",
  currency: "RUB",
  quantity: "",
  reservationMinutes: "",
  prepaymentPercent: "",
  salesStart: "",
  salesEnd: "",
  isActive: true,
  isHidden: false,
};

