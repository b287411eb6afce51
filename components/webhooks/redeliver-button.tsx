"use client";
// "Redeliver": one new attempt of a delivery now (the owner only; the server refuses while an attempt is in
// flight or the endpoint is switched off, and says why).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { redeliverWebhookAction } from "@/lib/webhooks/actions";

export function RedeliverButton(props: { organizationId: string; deliveryId: string }) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [state, setState] = useState<{ ok: boolean; message: string } | null>(null);
  return (
    <div className="flex flex-col gap-2">
      <Button
        variant="secondary"
        size="sm"
        className="self-start"
        pending={pending}
        data-testid="webhook-redeliver"
        onClick={() =>
          startTransition(async () => {
            setState(null);
            try {
              const result = await redeliverWebhookAction(props.organizationId, props.deliveryId);
              setState(result.ok ? { ok: true, message: t("webhooks.log.redelivered") } : { ok: false, message: t.dynamic(result.message) });
              if (result.ok) router.refresh();
            } catch {
              setState({ ok: false, message: t("errors.internal") });
            }
          })
        }
      >
        {t("webhooks.log.redeliver")}
      </Button>
      <div aria-live="polite">{state && <Alert variant={state.ok ? "success" : "error"}>{state.message}</Alert>}</div>
    </div>
  );
}
