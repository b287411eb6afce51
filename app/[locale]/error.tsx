"use client";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { LinkButton } from "@/components/ui/link-button";
import { useT } from "@/lib/i18n/client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useT();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto flex w-full max-w-md flex-1 flex-col items-center justify-center gap-4 px-4 py-16 text-center">
      <h1 className="text-2xl font-bold text-slate-900">{t("errorPage.title")}</h1>
      <p className="text-slate-600">{t("errorPage.text")}</p>
      {error.digest && <p className="font-mono text-xs text-slate-500">{t("errorPage.code", { digest: error.digest })}</p>}
      <div className="flex w-full flex-col gap-3 sm:w-auto sm:flex-row">
        <Button size="lg" onClick={() => reset()}>
          {t("common.retry")}
        </Button>
        <LinkButton href="/" size="lg" variant="secondary">
          {t("common.backHome")}
        </LinkButton>
      </div>
    </div>
  );
}
