"use client";
// The error state of the registrations view: what failed and a retry.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export default function RegistrationsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useT();
  return (
    <div className="flex flex-col items-start gap-4">
      <Alert variant="error" title={t("registrationsAdmin.error.title")}>
        {t("registrationsAdmin.error.text")}
      </Alert>
      <Button onClick={reset}>{t("common.retry")}</Button>
    </div>
  );
}
