"use client";
// Sections of one organization.
import { SectionTabs, type SectionTab } from "@/components/ui/section-tabs";

export type OrganizationTab = "overview" | "events" | "members" | "groups" | "payments" | "analytics" | "settings" | "developers";

const TABS: SectionTab<OrganizationTab>[] = [
  { tab: "overview", path: "", label: "organizations.org.tabOverview" },
  { tab: "events", path: "/events", label: "organizations.org.tabEvents" },
  { tab: "members", path: "/members", label: "organizations.org.tabMembers" },
  { tab: "groups", path: "/groups", label: "organizations.org.tabGroups" },
  { tab: "payments", path: "/payments", label: "organizations.org.tabPayments" },
  { tab: "analytics", path: "/analytics", label: "analytics.nav.tab" },
  { tab: "settings", path: "/settings", label: "organizations.org.tabSettings" },
  { tab: "developers", path: "/developers", label: "apiTokens.nav.tab" },
];

export function OrganizationTabs({ slug, tabs }: { slug: string; tabs: OrganizationTab[] }) {
  return <SectionTabs base={`/dashboard/o/${slug}`} items={TABS.filter((x) => tabs.includes(x.tab))} label="organizations.org.tabsLabel" />;
}
