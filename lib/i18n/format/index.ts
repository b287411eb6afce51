// One formatter per kind, each in its own module: dates (date.ts, in the event's time zone), money
// (money.ts), relative times and durations (relative.ts). Telegram HTML escaping is lib/telegram/format.ts.
export { DATE_STYLES, dayKey, formatDate, formatEventDate, isKnownTimeZone, resolveDateStyle, type AnyLocale, type DateStyleName } from "./date";
export { formatWithStyle, intlFormatters, type ResolvedDateStyle } from "./intl";
export { formatMoney } from "./money";
export { formatCountdown, isDaysLong, relativeTime, splitDuration } from "./relative";
