"use client";
// Loading and error states of the template admin pages (their loading.tsx / error.tsx).
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function TemplatesLoading() {
  const t = useT();
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4" data-testid="templates-loading">
      <span className="sr-only">{t("common.loading")}</span>
      <div className="h-8 w-1/2 animate-pulse rounded-lg bg-slate-200" aria-hidden="true" />
      <div className="h-4 w-full animate-pulse rounded bg-slate-200" aria-hidden="true" />
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="h-16 w-full animate-pulse rounded-2xl bg-slate-200" aria-hidden="true" />
      ))}
    </div>
  );
}

export function TemplatesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useT();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="flex flex-col items-start gap-3 rounded-2xl border border-red-200 bg-red-50 p-5">
      <h1 className="text-lg font-semibold text-red-900">{t("telegram.templates.listError")}</h1>
      <Button onClick={() => reset()}>{t("common.retry")}</Button>
    </div>
  );
}
