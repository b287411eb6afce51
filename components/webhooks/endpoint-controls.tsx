"use client";
// The owner's buttons of one endpoint: switch on / off, issue a new secret (shown once), delete. Each asks
// the server through one action; errors are shown here, and a deletion goes back to the list.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { deleteWebhookEndpointAction, rotateWebhookSecretAction, setWebhookEndpointEnabledAction } from "@/lib/webhooks/actions";
import { SecretReveal } from "./secret-reveal";

export function WebhookEndpointControls(props: { organizationId: string; endpointId: string; slug: string; enabled: boolean }) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const run = (fn: () => Promise<{ ok: boolean; message?: string }>, onOk: () => void) =>
    startTransition(async () => {
      setError(null);
      setNotice(null);
      try {
        const result = await fn();
        if (!result.ok) setError(result.message ?? "errors.internal");
        else onOk();
      } catch {
        setError("errors.internal");
      }
    });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          pending={pending}
          data-testid="webhook-toggle"
          onClick={() =>
            run(
              () => setWebhookEndpointEnabledAction(props.organizationId, props.endpointId, !props.enabled),
              () => {
                setNotice(props.enabled ? t("webhooks.endpoint.disabled") : t("webhooks.endpoint.enabled"));
                router.refresh();
              },
            )
          }
        >
          {props.enabled ? t("webhooks.endpoint.disable") : t("webhooks.endpoint.enable")}
        </Button>
        <Button
          variant="secondary"
          pending={pending}
          data-testid="webhook-rotate"
          onClick={() => {
            if (!window.confirm(t("webhooks.secret.rotateConfirm"))) return;
            run(
              async () => {
                const r = await rotateWebhookSecretAction(props.organizationId, props.endpointId);
                if (r.ok) setSecret(r.secret);
                return r;
              },
              () => setNotice(t("webhooks.secret.rotated")),
            );
          }}
        >
          {t("webhooks.secret.rotate")}
        </Button>
        <Button
          variant="danger"
          pending={pending}
          data-testid="webhook-delete"
          onClick={() => {
            if (!window.confirm(t("webhooks.endpoint.deleteConfirm"))) return;
            run(
              () => deleteWebhookEndpointAction(props.organizationId, props.endpointId),
              () => router.push(`/dashboard/o/${props.slug}/developers/webhooks`),
            );
          }}
        >
          {t("webhooks.endpoint.delete")}
        </Button>
      </div>
      <div aria-live="polite" className="flex flex-col gap-2">
        {error && <Alert variant="error">{t.dynamic(error)}</Alert>}
        {notice && <Alert variant="success">{notice}</Alert>}
      </div>
      {secret && <SecretReveal secret={secret} />}
    </div>
  );
}
