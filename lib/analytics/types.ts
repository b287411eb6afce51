// The shapes of the analytics views (issue 16; docs/analytics.md). Pure types: the services in
// lib/analytics (server) return them, the dashboard pages and chart components (client) render them.
// Dates cross the server/client boundary as ISO strings; money is minor units + currency, per currency
// (never summed across currencies). Every count is exact (rollups kept by triggers in the same
// transaction as the change), except page views and form opens (batched, see docs/analytics.md).
import type { Currency, EventStatus, RegistrationStatus } from "@/lib/generated/prisma/enums";

export type { Currency, EventStatus, RegistrationStatus };

export const REGISTRATION_STATUSES = ["RESERVED", "PENDING", "CONFIRMED", "CHECKED_IN", "CANCELLED", "EXPIRED"] as const satisfies readonly RegistrationStatus[];

/** Money of one currency: gross = taken (payments COMPLETED, PARTIALLY_REFUNDED, REFUNDED); refunded = refunds COMPLETED; net = gross − refunded. */
export type MoneyTotals = {
  currency: Currency;
  grossCents: number;
  refundedCents: number;
  netCents: number;
  /** Payments taken (the gross statuses). */
  payments: number;
  /** Refunds completed. */
  refunds: number;
};

/** One point of a registrations-over-time series: `start` is the bucket's first instant (ISO, UTC). */
export type RegistrationsPoint = {
  start: string;
  /** Registrations created in the bucket (any outcome: reserved, pending, confirmed at once …). */
  created: number;
  /** Registrations that became CONFIRMED in the bucket (confirmed_at). */
  confirmed: number;
  /** Registrations cancelled in the bucket (cancelled_at). */
  cancelled: number;
};

export type TicketTypeStats = {
  ticketTypeId: string;
  name: string;
  priceCents: number;
  currency: Currency;
  isHidden: boolean;
  /** Null = unlimited. */
  quantity: number | null;
  /** ticket_types.sold_count / reserved_count. */
  sold: number;
  reserved: number;
  /** Registrations of this type by their current status. */
  byStatus: Record<RegistrationStatus, number>;
  /** sold / quantity (0..1); null when unlimited. */
  sellThrough: number | null;
};

export type PromoCodeStats = {
  promoCodeId: string;
  code: string;
  isActive: boolean;
  /** promo_codes.used_count (seats held or sold with it). */
  uses: number;
  usageLimit: number | null;
  /** Sum of registrations.discount_cents of its active registrations, per currency. */
  discounts: { currency: Currency; discountCents: number }[];
};

export type WaitlistStats = {
  waiting: number;
  notified: number;
  converted: number;
  expired: number;
  total: number;
  /** converted / (converted + expired + notified + waiting); null when the waitlist is empty. */
  conversionRate: number | null;
};

export type CancellationStats = {
  total: number;
  /** Most frequent reasons first (at most 10); reason null = none given. */
  byReason: { reason: string | null; count: number }[];
};

export type CheckInStats = {
  checkedIn: number;
  /** Registrations expected at the door: CONFIRMED + CHECKED_IN now. */
  expected: number;
  /** checkedIn / expected; null when nobody is expected. */
  rate: number | null;
  /** CONFIRMED and not checked in once the event is over (ends_at, else starts_at + 1 day); null before. */
  noShows: number | null;
  /** Check-ins per 15 minutes (checked_in_at, the scan's own time), only buckets with arrivals. */
  arrivals: { start: string; count: number }[];
};

/** The registration funnel. views and formOpens come from the beacon; the rest from the tables. */
export type Funnel = {
  views: number;
  formOpens: number;
  /** Registrations created (every sale that wrote a row: reserved, pending payment, confirmed at once). */
  started: number;
  /** Registrations ever confirmed (confirmed_at set), including those later checked in or cancelled. */
  confirmed: number;
  checkedIn: number;
};

export type SourceStats = {
  /** Referrer host ('' = direct / unknown). */
  source: string;
  views: number;
  formOpens: number;
};

export type UtmStats = {
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  views: number;
  formOpens: number;
};

export type EventAnalytics = {
  event: {
    id: string;
    title: string;
    slug: string;
    status: EventStatus;
    timezone: string;
    startsAt: string;
    endsAt: string | null;
  };
  /** When these figures were read (ISO). */
  generatedAt: string;
  /** True when the event has no registrations, views or waitlist entries at all (the page shows an empty state). */
  isEmpty: boolean;
  /** Registrations by day in the event's time zone (`start` = local midnight as an instant), the whole sale. */
  daily: RegistrationsPoint[];
  /** By hour over the last 72 hours before the event starts (or before now, if that is earlier). */
  hourly: RegistrationsPoint[];
  statusTotals: Record<RegistrationStatus, number>;
  ticketTypes: TicketTypeStats[];
  revenue: MoneyTotals[];
  promoCodes: PromoCodeStats[];
  waitlist: WaitlistStats;
  cancellations: CancellationStats;
  checkIn: CheckInStats;
  funnel: Funnel;
  /** Most views first, at most 20. */
  sources: SourceStats[];
  /** Most views first, at most 20 (only rows with some utm_* value). */
  utm: UtmStats[];
};

/** A period of whole days [from, to] (YYYY-MM-DD, both included) in the viewer's organization time zone (Europe/Moscow unless told). */
export type Period = { from: string; to: string; timezone: string };

export type DayPoint = {
  /** YYYY-MM-DD. */
  day: string;
  registrations: number;
  confirmed: number;
  cancelled: number;
  checkedIn: number;
  views: number;
};

export type EventComparisonRow = {
  eventId: string;
  title: string;
  status: EventStatus;
  startsAt: string;
  /** In the period. */
  registrations: number;
  confirmed: number;
  checkedIn: number;
  views: number;
  /** confirmed / views; null without views. */
  conversion: number | null;
  /** Current CONFIRMED + CHECKED_IN over the total quantity of limited types; null if any type is unlimited or none. */
  fillRate: number | null;
  revenue: MoneyTotals[];
};

export type UpcomingEventRow = {
  eventId: string;
  title: string;
  startsAt: string;
  /** Sum of limited types' quantity; null when some type is unlimited. */
  capacity: number | null;
  /** Seats sold + reserved now. */
  taken: number;
  fillRate: number | null;
};

export type OrganizationAnalytics = {
  period: Period;
  generatedAt: string;
  isEmpty: boolean;
  totals: { registrations: number; confirmed: number; cancelled: number; checkedIn: number; views: number; revenue: MoneyTotals[] };
  /** Every day of the period, zeros included. */
  days: DayPoint[];
  /** Published events starting from now, soonest first (at most 10). */
  upcoming: UpcomingEventRow[];
  /** Events with activity in the period or starting in it, most registrations first (at most 50). */
  events: EventComparisonRow[];
};

export type PlatformDayPoint = {
  day: string;
  organizations: number;
  events: number;
  registrations: number;
  payments: number;
};

export type PlatformAnalytics = {
  period: Period;
  generatedAt: string;
  isEmpty: boolean;
  totals: { organizations: number; events: number; registrations: number; payments: number; revenue: MoneyTotals[] };
  /** Every day of the period: organizations approved, events published, registrations created, payments taken. */
  days: PlatformDayPoint[];
};
