// Analytics for organizers and the platform (issue 16; docs/analytics.md): the server API of the area.
// Services authorize through lib/permissions ("analytics.view"; another tenant's event → NOT_FOUND).
import "server-only";

export type * from "./types";
export { eventAnalytics } from "./event";
export { organizationAnalytics } from "./organization";
export { platformAnalytics } from "./platform";
export { parsePeriod, defaultPeriod, periodDays, localDay, DEFAULT_PERIOD_TIMEZONE, MAX_PERIOD_DAYS, type PeriodError } from "./period";
// Exports (docs/analytics.md → "Exports"): streamed CSV per dataset and the XLSX workbook.
export { exportEventCsv, exportEventXlsx, isExportDataset, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, type ExportFile } from "./exports/service";
export { listAttendeesForPrint, sortAttendees, type PrintAttendee, type PrintAttendeeList } from "./exports/attendees";
