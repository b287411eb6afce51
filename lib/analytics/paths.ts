// Where the analytics pages and exports live (issue 16; docs/analytics.md). Pure: pages, components
// and tests build links from here, the route handlers and pages are at these paths.

export const EXPORT_DATASETS = ["registrations", "payments", "check-ins", "waitlist"] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];
export type ExportFormat = "csv" | "xlsx";

const seg = encodeURIComponent;

/** The event's analytics page (OWNER / MODERATOR). */
export function eventAnalyticsPath(slug: string, eventId: string): string {
  return `/dashboard/o/${seg(slug)}/events/${seg(eventId)}/analytics`;
}

/** The organization's dashboard over a period (`?from=YYYY-MM-DD&to=YYYY-MM-DD`, default the last 30 days). */
export function organizationAnalyticsPath(slug: string, period?: { from: string; to: string }): string {
  const base = `/dashboard/o/${seg(slug)}/analytics`;
  return period ? `${base}?from=${seg(period.from)}&to=${seg(period.to)}` : base;
}

/** The platform admin's view over a period. */
export function platformAnalyticsPath(period?: { from: string; to: string }): string {
  const base = "/dashboard/admin/analytics";
  return period ? `${base}?from=${seg(period.from)}&to=${seg(period.to)}` : base;
}

/** The printable attendee list for the door (print stylesheet). */
export function attendeeListPath(slug: string, eventId: string): string {
  return `/dashboard/o/${seg(slug)}/events/${seg(eventId)}/attendees/print`;
}

/**
 * One export of an event: `csv` = that dataset alone; `xlsx` = one workbook with a sheet per dataset
 * (registrations, payments and refunds, check-ins, waitlist), the dataset argument ignored.
 * Times in the event's time zone. Column headers in the UI language (`locale` cookie).
 */
export function eventExportPath(eventId: string, format: ExportFormat, dataset: ExportDataset = "registrations"): string {
  return format === "xlsx" ? `/api/events/${seg(eventId)}/exports/event.xlsx` : `/api/events/${seg(eventId)}/exports/${dataset}.csv`;
}

/** The public pages' beacon (navigator.sendBeacon, text/plain JSON body; docs/analytics.md → "Counting views"). */
export const BEACON_PATH = "/api/analytics/beacon";
