"use client";
// The signing secret, shown once (after creation or rotation), with a copy button. It is never shown again:
// the server keeps it encrypted and no page reads it back.
import { CopyButton } from "@/components/members/copy-button";
import { useT } from "@/lib/i18n/client";

export function SecretReveal({ secret }: { secret: string }) {
  const t = useT();
  return (
    <div className="flex flex-col gap-2 rounded-xl border border-amber-300 bg-amber-50 p-4" role="region" aria-label={t("webhooks.secret.title")}>
      <p className="text-sm font-semibold text-slate-900">{t("webhooks.secret.title")}</p>
      <p className="text-sm text-slate-700">{t("webhooks.secret.once")}</p>
      <code className="block break-all rounded-lg bg-white px-3 py-2 font-mono text-sm text-slate-900" data-testid="webhook-secret">
        {secret}
      </code>
      <CopyButton value={secret} label={t("webhooks.secret.title")} text={t("webhooks.secret.copy")} testId="webhook-secret-copy" />
    </div>
  );
}
