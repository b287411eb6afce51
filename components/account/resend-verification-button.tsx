"use client";
import { useState, useTransition } from "react";
import { resendVerificationAction } from "@/lib/identity/actions/verify-email";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

/** "Send the link again": at most 3 per hour (the server says so when over). */
export function ResendVerificationButton({ variant = "secondary" }: { variant?: "primary" | "secondary" }) {
  const t = useT();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<{ ok: true; email: string } | { ok: false; message: string } | null>(null);

  const resend = () =>
    startTransition(async () => {
      setResult(null);
      try {
        const answer = await resendVerificationAction();
        setResult(answer.ok ? { ok: true, email: answer.email } : { ok: false, message: answer.message });
      } catch {
        setResult({ ok: false, message: "errors.internal" });
      }
    });

  return (
    <div className="flex flex-col gap-3">
      <Button variant={variant} onClick={resend} pending={pending} className="self-start" data-testid="resend-verification">
        {pending ? t("account.resend.sending") : t("account.resend.button")}
      </Button>
      {result?.ok === true && <Alert variant="success">{t("account.resend.sent", { email: result.email })}</Alert>}
      {result?.ok === false && <Alert variant="error">{t.dynamic(result.message)}</Alert>}
    </div>
  );
}
