import { getT } from "@/lib/i18n/server";

// The loading state of the Messages tab: the title, the button and a few message cards.
export default async function Loading() {
  const t = await getT();
  return (
    <div className="flex flex-col gap-4 rounded-2xl border border-slate-200 bg-white p-5 sm:p-6" aria-busy="true" role="status" aria-label={t("messages.ui.loading")}>
      <div className="flex flex-col gap-2">
        <div className="h-7 w-56 max-w-full animate-pulse rounded-lg bg-slate-200" />
        <div className="h-4 w-80 max-w-full animate-pulse rounded bg-slate-100" />
      </div>
      <div className="h-12 w-44 animate-pulse rounded-xl bg-slate-100" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-28 w-full animate-pulse rounded-xl border border-slate-200 bg-slate-50" />
      ))}
      <span className="sr-only">{t("messages.ui.loading")}</span>
    </div>
  );
}
