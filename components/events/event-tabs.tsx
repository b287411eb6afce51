"use client";
// Sections of one event (scrolls sideways on a phone). The active one is the longest matching path.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/translate";

export type EventTab = "overview" | "tickets" | "registrations" | "checkIn" | "activity";

const TABS: { tab: EventTab; path: string; label: MessageKey }[] = [
  { tab: "overview", path: "", label: "events.ui.tabs.overview" },
  { tab: "tickets", path: "/tickets", label: "events.ui.tabs.tickets" },
  { tab: "registrations", path: "/registrations", label: "events.ui.tabs.registrations" },
  { tab: "checkIn", path: "/check-in", label: "events.ui.tabs.checkIn" },
  { tab: "activity", path: "/activity", label: "events.ui.tabs.activity" },
];

export function EventTabs({ base, tabs }: { base: string; tabs: EventTab[] }) {
  const t = useT();
  const pathname = usePathname() ?? "";
  const visible = TABS.filter((x) => tabs.includes(x.tab));
  const active = visible
    .filter((x) => (x.path === "" ? pathname === base || pathname === `${base}/edit` : pathname === base + x.path || pathname.startsWith(`${base}${x.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]?.tab;
  return (
    <nav aria-label={t("events.ui.tabs.label")} className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {visible.map((x) => (
          <li key={x.tab}>
            <Link
              href={base + x.path}
              aria-current={active === x.tab ? "page" : undefined}
              data-testid={`event-tab-${x.tab}`}
              className={cn(
                "-mb-px flex min-h-11 items-center border-b-2 px-3 text-sm font-medium whitespace-nowrap",
                active === x.tab ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
              )}
            >
              {t(x.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
