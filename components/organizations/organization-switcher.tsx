"use client";
// The organization switcher: a disclosure listing the user's organizations, each a link to
// /dashboard/o/<slug>. The current organization is read from the URL (never from the session).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";

export type SwitcherOrganization = { name: string; slug: string; role: "OWNER" | "MODERATOR" };

/** The organization slug of a dashboard path (`/dashboard/o/<slug>/…`), or null. */
export function currentOrganizationSlug(pathname: string | null): string | null {
  const match = /^\/dashboard\/o\/([^/?#]+)/.exec(pathname ?? "");
  return match ? decodeURIComponent(match[1]) : null;
}

export function OrganizationSwitcher({ organizations, className }: { organizations: SwitcherOrganization[]; className?: string }) {
  const t = useT();
  const pathname = usePathname();
  const currentSlug = currentOrganizationSlug(pathname);
  const current = organizations.find((o) => o.slug === currentSlug) ?? null;
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  // Close on a click outside.
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const label = current ? current.name : t("organizations.switcher.choose");

  return (
    <div
      ref={rootRef}
      className={cn("relative", className)}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={current ? t("organizations.switcher.current", { name: current.name }) : t("organizations.switcher.choose")}
        onClick={() => setOpen((v) => !v)}
        data-testid="org-switcher"
        className="flex min-h-11 w-full items-center gap-2 rounded-xl border border-slate-300 bg-white px-3 text-left text-sm font-medium text-slate-900 hover:bg-slate-50"
      >
        <span className="flex size-7 shrink-0 items-center justify-center rounded-lg bg-brand-100 text-xs font-bold uppercase text-brand-700" aria-hidden="true">
          {current ? current.name.slice(0, 1) : "+"}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block text-xs font-normal text-slate-500">{t("organizations.switcher.label")}</span>
          <span className="block truncate">{label}</span>
        </span>
        <svg viewBox="0 0 20 20" className={cn("size-4 shrink-0 text-slate-500 transition-transform", open && "rotate-180")} aria-hidden="true">
          <path d="M5 7.5l5 5 5-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute left-0 top-full z-30 mt-1 max-h-[60vh] w-[min(calc(100vw_-_2rem),22rem)] overflow-y-auto rounded-xl border border-slate-200 bg-white p-1 shadow-lg"
      >
        {organizations.length === 0 ? (
          <div className="flex flex-col gap-1 p-2">
            <p className="text-sm text-slate-600">{t("organizations.switcher.none")}</p>
            <Link
              href="/dashboard/organization-request"
              onClick={() => setOpen(false)}
              className="flex min-h-11 items-center rounded-lg px-2 text-sm font-medium text-brand-700 hover:bg-brand-50"
            >
              {t("organizations.switcher.request")}
            </Link>
          </div>
        ) : (
          <ul className="flex flex-col" data-testid="org-switcher-list">
            {organizations.map((o) => {
              const isCurrent = o.slug === currentSlug;
              return (
                <li key={o.slug}>
                  <Link
                    href={`/dashboard/o/${o.slug}`}
                    onClick={() => setOpen(false)}
                    aria-current={isCurrent ? "true" : undefined}
                    className={cn(
                      "flex min-h-11 items-center justify-between gap-3 rounded-lg px-2 py-1.5 text-sm hover:bg-slate-100",
                      isCurrent ? "bg-brand-50 font-semibold text-brand-700" : "text-slate-800",
                    )}
                  >
                    <span className="min-w-0 break-words">{o.name}</span>
                    <span className="shrink-0 text-xs text-slate-500">
                      {o.role === "OWNER" ? t("organizations.switcher.roleOwner") : t("organizations.switcher.roleModerator")}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
