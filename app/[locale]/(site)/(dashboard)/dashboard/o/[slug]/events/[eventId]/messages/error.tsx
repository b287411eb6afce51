"use client";
// The error state of the Messages tab (and the composer): what failed and a retry.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export default function MessagesError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useT();
  return (
    <div className="flex flex-col items-start gap-4" data-testid="messages-error">
      <Alert variant="error" title={t("messages.ui.loadError")}>
        {t("messages.ui.loadErrorHint")}
      </Alert>
      <Button onClick={reset}>{t("common.retry")}</Button>
    </div>
  );
}
