"use client";
// Sections of one page area as links under `base` (scrolls sideways on a phone). The active one is the
// longest matching path; the "" section also matches `base` + each of `rootAliases` (e.g. "/edit").
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/translate";

export type SectionTab<K extends string> = { tab: K; path: string; label: MessageKey };

export function SectionTabs<K extends string>(props: {
  base: string;
  items: readonly SectionTab<K>[];
  label: MessageKey;
  rootAliases?: readonly string[];
  testIdPrefix?: string;
}) {
  const { base, items, rootAliases = [], testIdPrefix } = props;
  const t = useT();
  const pathname = usePathname() ?? "";
  const matches = (path: string) =>
    path === "" ? pathname === base || rootAliases.some((alias) => pathname === base + alias) : pathname === base + path || pathname.startsWith(`${base}${path}/`);
  const active = items.filter((x) => matches(x.path)).sort((a, b) => b.path.length - a.path.length)[0]?.tab;
  return (
    <nav aria-label={t(props.label)} className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {items.map((x) => (
          <li key={x.tab}>
            <Link
              href={base + x.path}
              aria-current={active === x.tab ? "page" : undefined}
              data-testid={testIdPrefix ? `${testIdPrefix}${x.tab}` : undefined}
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
