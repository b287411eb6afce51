// Public API of the widget area: the embeddable registration widget's server side (docs/widget.md).
// The sale itself is lib/registrations register(), the same as the event page's.
import "server-only";

export { getWidgetEvent, getWidgetEventCached, forgetWidgetEvent, type WidgetEvent, type WidgetTicketType, type WidgetTicketMode } from "./events";
