"use client";
// The error state of the members and groups pages: what failed and a retry.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function PageError({ messageKey, reset }: { messageKey: string; reset: () => void }) {
  const t = useT();
  return (
    <div className="flex flex-col items-start gap-4">
      <Alert variant="error" title={t.dynamic(messageKey)}>
        {t("errorPage.text")}
      </Alert>
      <Button onClick={reset}>{t("common.retry")}</Button>
    </div>
  );
}
