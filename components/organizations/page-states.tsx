"use client";
// Loading and error states of the organization pages (used by their loading.tsx / error.tsx).
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function PageLoading() {
  const t = useT();
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4" data-testid="page-loading">
      <span className="sr-only">{t("organizations.loading")}</span>
      <div className="h-8 w-2/3 animate-pulse rounded-lg bg-slate-200" aria-hidden="true" />
      <div className="h-4 w-full animate-pulse rounded bg-slate-200" aria-hidden="true" />
      <div className="h-32 w-full animate-pulse rounded-2xl bg-slate-200" aria-hidden="true" />
      <div className="h-24 w-full animate-pulse rounded-2xl bg-slate-200" aria-hidden="true" />
    </div>
  );
}

export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useT();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="flex flex-col items-start gap-3 rounded-2xl border border-red-200 bg-red-50 p-5">
      <h1 className="text-lg font-semibold text-red-900">{t("organizations.loadFailedTitle")}</h1>
      <p className="text-sm text-red-800">{t("organizations.loadFailedText")}</p>
      {error.digest && <p className="font-mono text-xs text-red-700">{t("errorPage.code", { digest: error.digest })}</p>}
      <Button onClick={() => reset()}>{t("common.retry")}</Button>
    </div>
  );
}
