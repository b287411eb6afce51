"use client";
// The cabinet's navigation. Phones: the organization switcher and a "Menu" button that opens the
// list of sections (44 px rows). Wider screens: a sidebar with the switcher and the sections.
// The active section is the longest matching path (Telegram is under Account but is its own item).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useRef, useState } from "react";
import { OrganizationSwitcher, type SwitcherOrganization } from "@/components/organizations/organization-switcher";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/translate";

type NavItem = { href: string; label: MessageKey; exact?: boolean; badge?: number; testId: string };

const MAIN: NavItem[] = [
  { href: "/dashboard", label: "organizations.nav.home", exact: true, testId: "nav-home" },
  { href: "/dashboard/tickets", label: "registrations.nav.myTickets", testId: "nav-tickets" },
  { href: "/dashboard/groups", label: "organizations.nav.groups", testId: "nav-groups" },
  { href: "/dashboard/account", label: "organizations.nav.account", testId: "nav-account" },
  { href: "/dashboard/account/telegram", label: "organizations.nav.telegram", testId: "nav-telegram" },
  { href: "/dashboard/organization-request", label: "organizations.nav.organizationRequest", testId: "nav-organization-request" },
];

function matches(item: NavItem, pathname: string): boolean {
  if (item.exact) return pathname === item.href;
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

/** The href of the active item: the longest one matching the path. */
function activeHref(items: NavItem[], pathname: string): string | null {
  let best: NavItem | null = null;
  for (const item of items) if (matches(item, pathname) && (!best || item.href.length > best.href.length)) best = item;
  return best?.href ?? null;
}

export function DashboardNav({
  organizations,
  isPlatformAdmin,
  pendingRequests,
}: {
  organizations: SwitcherOrganization[];
  isPlatformAdmin: boolean;
  pendingRequests: number;
}) {
  const t = useT();
  const pathname = usePathname() ?? "/dashboard";
  const [open, setOpen] = useState(false);
  const listId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);

  const admin: NavItem[] = isPlatformAdmin
    ? [
        { href: "/dashboard/admin/requests", label: "organizations.nav.adminRequests", badge: pendingRequests, testId: "nav-admin-requests" },
        { href: "/dashboard/admin/templates", label: "organizations.nav.adminTemplates", testId: "nav-admin-templates" },
        { href: "/dashboard/admin/analytics", label: "analytics.nav.admin", testId: "nav-admin-analytics" },
      ]
    : [];
  const active = activeHref([...MAIN, ...admin], pathname);
  const close = () => setOpen(false);

  const renderItem = (item: NavItem) => {
    const isActive = item.href === active;
    return (
      <li key={item.href}>
        <Link
          href={item.href}
          onClick={close}
          aria-current={isActive ? "page" : undefined}
          data-testid={item.testId}
          className={cn(
            "flex min-h-11 items-center justify-between gap-2 rounded-lg px-3 text-sm font-medium",
            isActive ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
          )}
        >
          <span className="truncate">{t(item.label)}</span>
          {!!item.badge && (
            <span className="rounded-full bg-brand-600 px-2 py-0.5 text-xs font-semibold text-white">
              <span aria-hidden="true">{item.badge}</span>
              <span className="sr-only">{t("organizations.nav.pendingCount", { count: item.badge })}</span>
            </span>
          )}
        </Link>
      </li>
    );
  };

  return (
    <nav
      aria-label={t("organizations.nav.label")}
      className="mb-4 md:sticky md:top-20 md:mb-0 md:self-start"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <div className="flex items-stretch gap-2">
        <OrganizationSwitcher organizations={organizations} className="min-w-0 flex-1" />
        <button
          ref={buttonRef}
          type="button"
          className="flex min-h-11 shrink-0 items-center gap-2 rounded-xl border border-slate-300 bg-white px-3 text-sm font-medium text-slate-900 hover:bg-slate-50 md:hidden"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen((v) => !v)}
          data-testid="nav-menu-button"
        >
          <svg viewBox="0 0 20 20" className="size-5" aria-hidden="true">
            {open ? (
              <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            ) : (
              <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            )}
          </svg>
          <span>{t("organizations.nav.menu")}</span>
        </button>
      </div>
      <div
        id={listId}
        className={cn(
          "mt-2 rounded-2xl border border-slate-200 bg-white p-2 shadow-sm md:mt-4 md:block md:border-0 md:bg-transparent md:p-0 md:shadow-none",
          open ? "block" : "hidden",
        )}
      >
        <ul className="flex flex-col gap-0.5">{MAIN.map(renderItem)}</ul>
        {admin.length > 0 && (
          <div className="mt-3 border-t border-slate-200 pt-3">
            <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("organizations.nav.adminTitle")}</p>
            <ul className="flex flex-col gap-0.5">{admin.map(renderItem)}</ul>
          </div>
        )}
      </div>
    </nav>
  );
}
