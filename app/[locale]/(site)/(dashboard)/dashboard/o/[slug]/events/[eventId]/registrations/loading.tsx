import { getT } from "@/lib/i18n/server";

// The loading state of the registrations view: the title, the chips, the search and a few rows.
export default async function Loading() {
  const t = await getT();
  return (
    <div className="flex flex-col gap-5" aria-busy="true" role="status" aria-label={t("registrationsAdmin.loading")}>
      <div className="flex flex-col gap-2">
        <div className="h-8 w-48 animate-pulse rounded-lg bg-slate-200" />
        <div className="h-4 w-72 max-w-full animate-pulse rounded bg-slate-100" />
      </div>
      <div className="flex gap-2 overflow-hidden">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-11 w-28 shrink-0 animate-pulse rounded-full bg-slate-100" />
        ))}
      </div>
      <div className="h-28 w-full animate-pulse rounded-2xl bg-slate-100" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-24 w-full animate-pulse rounded-2xl border border-slate-200 bg-white" />
      ))}
      <span className="sr-only">{t("registrationsAdmin.loading")}</span>
    </div>
  );
}
