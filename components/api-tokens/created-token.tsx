"use client";
// The token just created, shown ONCE: the text to copy, a curl example to try it, and a warning that it
// will not be shown again. Focus moves to the heading so a screen reader announces it.
import { useEffect, useRef } from "react";
import { CopyButton } from "@/components/members/copy-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function CreatedToken({ token, name, curlUrl, onDone }: { token: string; name: string; curlUrl: string; onDone: () => void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const curl = `curl -H "Authorization: Bearer ${token}" ${curlUrl}`;
  const label = t("apiTokens.created.tokenLabel", { name });
  return (
    <section className="flex flex-col gap-4 rounded-xl border border-green-300 bg-green-50 p-4" aria-labelledby="created-token-title" data-testid="api-token-created">
      <h3 id="created-token-title" ref={heading} tabIndex={-1} className="text-lg font-semibold text-slate-900 outline-none">
        {t("apiTokens.created.title")}
      </h3>
      <Alert variant="info">{t("apiTokens.created.warning")}</Alert>
      <div className="flex flex-col gap-2">
        <p className="text-sm font-medium text-slate-800" id="created-token-label">
          {label}
        </p>
        <code className="block rounded-lg border border-slate-300 bg-white p-3 font-mono text-sm break-all text-slate-900 select-all" aria-labelledby="created-token-label" data-testid="api-token-value">
          {token}
        </code>
        <CopyButton value={token} label={label} text={t("apiTokens.created.copy")} variant="primary" testId="api-token-copy" />
      </div>
      <div className="flex flex-col gap-2">
        <p className="text-sm font-medium text-slate-800" id="created-token-curl">
          {t("apiTokens.created.curlTitle")}
        </p>
        <pre className="overflow-x-auto rounded-lg bg-slate-900 p-3 text-sm text-slate-100" aria-labelledby="created-token-curl" data-testid="api-token-curl">
          <code>{curl}</code>
        </pre>
        <CopyButton value={curl} label={t("apiTokens.created.curlTitle")} />
      </div>
      <Button variant="secondary" onClick={onDone} className="self-start" data-testid="api-token-done">
        {t("apiTokens.created.done")}
      </Button>
    </section>
  );
}
