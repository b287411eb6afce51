"use client";
// The sections of Dashboard → organization → Developers: API tokens (this folder) and Webhooks.
import { SectionTabs, type SectionTab } from "@/components/ui/section-tabs";

const TABS: SectionTab<"tokens" | "webhooks">[] = [
  { tab: "tokens", path: "", label: "apiTokens.nav.tabTokens" },
  { tab: "webhooks", path: "/webhooks", label: "apiTokens.nav.tabWebhooks" },
];

export function DevelopersTabs({ slug }: { slug: string }) {
  return <SectionTabs base={`/dashboard/o/${slug}/developers`} items={TABS} label="apiTokens.nav.tabsLabel" testIdPrefix="developers-tab-" />;
}
