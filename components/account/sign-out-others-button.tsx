"use client";
import { useState, useTransition } from "react";
import { signOutOtherSessionsAction } from "@/lib/identity/actions/account";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function SignOutOthersButton({ disabled }: { disabled: boolean }) {
  const t = useT();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<{ ok: true; count: number } | { ok: false; message: string } | null>(null);

  const run = () =>
    startTransition(async () => {
      setStatus(null);
      try {
        const result = await signOutOtherSessionsAction();
        setStatus(result.ok ? { ok: true, count: result.revoked } : { ok: false, message: result.message });
      } catch {
        setStatus({ ok: false, message: "errors.internal" });
      }
    });

  return (
    <div className="flex flex-col gap-3">
      {status?.ok === true && <Alert variant="success">{t("account.sessions.signedOutOthers", { count: status.count })}</Alert>}
      {status?.ok === false && <Alert variant="error">{t.dynamic(status.message)}</Alert>}
      <Button variant="secondary" onClick={run} pending={pending} disabled={disabled} className="self-start">
        {t("account.sessions.signOutOthers")}
      </Button>
    </div>
  );
}
