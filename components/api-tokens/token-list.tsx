"use client";
// The tokens of an organization (or a person): name, the token's first characters, scopes, created,
// last use (time and address), expiry, state; "Revoke" behind a confirmation. Phone first: one card per
// token. Dates are formatted on the server (the page) in the reader's language.
import { useRouter } from "next/navigation";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { cn } from "@/components/ui/cn";
import { revokeApiTokenAction } from "@/lib/api/actions";
import { useT } from "@/lib/i18n/client";

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  state: "active" | "revoked" | "expired";
  createdText: string;
  lastUsedText: string | null;
  lastUsedIp: string | null;
  expiresText: string | null;
  revokedText: string | null;
};

const STATE_TONE: Record<TokenRow["state"], string> = {
  active: "bg-green-100 text-green-800",
  revoked: "bg-slate-200 text-slate-700",
  expired: "bg-amber-100 text-amber-800",
};
const STATE_LABEL = { active: "apiTokens.list.stateActive", revoked: "apiTokens.list.stateRevoked", expired: "apiTokens.list.stateExpired" } as const;

export function TokenList({ rows, manageable }: { rows: TokenRow[]; manageable: boolean }) {
  const t = useT();
  const router = useRouter();
  if (rows.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-slate-300 p-4 text-sm text-slate-600" data-testid="api-token-empty">
        {t("apiTokens.list.empty")}
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-3" data-testid="api-token-list">
      {rows.map((row) => (
        <li
          key={row.id}
          className={cn("flex flex-col gap-2 rounded-xl border p-4", row.state === "active" ? "border-slate-200" : "border-dashed border-slate-300 bg-slate-50")}
          data-testid="api-token-item"
        >
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="min-w-0 font-semibold break-words text-slate-900" data-testid="api-token-item-name">
              {row.name}
            </p>
            <span className={cn("rounded-full px-2.5 py-0.5 text-xs font-semibold", STATE_TONE[row.state])} data-testid="api-token-item-state">
              {t(STATE_LABEL[row.state])}
            </span>
          </div>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm text-slate-700 sm:grid-cols-[auto_1fr]">
            <dt className="text-slate-500">{t("apiTokens.list.prefix")}</dt>
            <dd className="font-mono break-all">{row.prefix}…</dd>
            <dt className="text-slate-500">{t("apiTokens.list.scopes")}</dt>
            <dd className="flex flex-wrap gap-1">
              {row.scopes.map((scope) => (
                <span key={scope} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                  {scope}
                </span>
              ))}
            </dd>
            <dt className="text-slate-500">{t("apiTokens.list.created")}</dt>
            <dd>{row.createdText}</dd>
            <dt className="text-slate-500">{t("apiTokens.list.lastUsed")}</dt>
            <dd data-testid="api-token-item-last-used">
              {row.lastUsedText ? t("apiTokens.list.lastUsedAt", { date: row.lastUsedText, ip: row.lastUsedIp ?? "—" }) : t("apiTokens.list.neverUsed")}
            </dd>
            <dt className="text-slate-500">{t("apiTokens.list.expires")}</dt>
            <dd>{row.expiresText ?? t("apiTokens.list.neverExpires")}</dd>
            {row.revokedText && (
              <>
                <dt className="sr-only">{t("apiTokens.list.stateRevoked")}</dt>
                <dd className="sm:col-span-2">{t("apiTokens.list.revokedAt", { date: row.revokedText })}</dd>
              </>
            )}
          </dl>
          {manageable && row.state === "active" && (
            <div>
              <ConfirmDialog
                triggerLabel={t("apiTokens.list.revoke")}
                triggerVariant="secondary"
                triggerSize="sm"
                triggerAriaLabel={t("apiTokens.list.revokeTitle", { name: row.name })}
                triggerTestId="api-token-revoke"
                title={t("apiTokens.list.revokeTitle", { name: row.name })}
                description={t("apiTokens.list.revokeText")}
                confirmLabel={t("apiTokens.list.revoke")}
                confirmVariant="danger"
                cancelLabel={t("apiTokens.list.cancel")}
                onConfirm={() => revokeApiTokenAction({ tokenId: row.id })}
                onDone={() => router.refresh()}
              />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
