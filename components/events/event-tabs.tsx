"use client";
// Sections of one event; the overview tab also covers the edit page.
import { SectionTabs, type SectionTab } from "@/components/ui/section-tabs";

export type EventTab = "overview" | "tickets" | "registrations" | "payments" | "checkIn" | "activity" | "messages" | "analytics";

const TABS: SectionTab<EventTab>[] = [
  { tab: "overview", path: "", label: "events.ui.tabs.overview" },
  { tab: "tickets", path: "/tickets", label: "events.ui.tabs.tickets" },
  { tab: "registrations", path: "/registrations", label: "events.ui.tabs.registrations" },
  { tab: "payments", path: "/payments", label: "events.ui.tabs.payments" },
  { tab: "checkIn", path: "/check-in", label: "events.ui.tabs.checkIn" },
  { tab: "activity", path: "/activity", label: "events.ui.tabs.activity" },
  { tab: "messages", path: "/messages", label: "messages.ui.tab" },
  { tab: "analytics", path: "/analytics", label: "analytics.nav.tab" },
];

export function EventTabs({ base, tabs }: { base: string; tabs: EventTab[] }) {
  return (
    <SectionTabs base={base} items={TABS.filter((x) => tabs.includes(x.tab))} label="events.ui.tabs.label" rootAliases={["/edit"]} testIdPrefix="event-tab-" />
  );
}
