"use client";
// Sections of one organization (scrolls sideways on a phone). The active one is the longest match.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/translate";

export type OrganizationTab = "overview" | "events" | "members" | "groups" | "settings";

const TABS: { tab: OrganizationTab; path: string; label: MessageKey }[] = [
  { tab: "overview", path: "", label: "organizations.org.tabOverview" },
  { tab: "events", path: "/events", label: "organizations.org.tabEvents" },
  { tab: "members", path: "/members", label: "organizations.org.tabMembers" },
  { tab: "groups", path: "/groups", label: "organizations.org.tabGroups" },
  { tab: "settings", path: "/settings", label: "organizations.org.tabSettings" },
];

export function OrganizationTabs({ slug, tabs }: { slug: string; tabs: OrganizationTab[] }) {
  const t = useT();
  const pathname = usePathname() ?? "";
  const base = `/dashboard/o/${slug}`;
  const visible = TABS.filter((x) => tabs.includes(x.tab));
  const active = visible
    .filter((x) => (x.path === "" ? pathname === base : pathname === base + x.path || pathname.startsWith(`${base}${x.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]?.tab;
  return (
    <nav aria-label={t("organizations.org.tabsLabel")} className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {visible.map((x) => (
          <li key={x.tab}>
            <Link
              href={base + x.path}
              aria-current={active === x.tab ? "page" : undefined}
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
