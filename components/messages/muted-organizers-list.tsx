"use client";
// The account's muted organizers, one row each with "Unmute" (a POST; the row leaves the list after).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { unmuteOrganizationAction } from "@/lib/messages/actions";

/** `mutedAtText` is formatted on the server (no server/browser time-zone mismatch). */
export type MuteRow = { organizationId: string; organizationName: string; mutedAt: string; mutedAtText: string };

export function MutedOrganizersList({ mutes }: { mutes: MuteRow[] }) {
  const t = useT();
  const router = useRouter();
  const [rows, setRows] = useState(mutes);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  const unmute = (row: MuteRow) => {
    setBusy(row.organizationId);
    setError(null);
    setDone(null);
    startTransition(async () => {
      try {
        const result = await unmuteOrganizationAction({ organizationId: row.organizationId });
        if (!result.ok) {
          setError(result.message);
          return;
        }
        setRows((current) => current.filter((r) => r.organizationId !== row.organizationId));
        setDone(t("messages.mute.unmutedDone", { organization: row.organizationName }));
        router.refresh();
      } catch {
        setError("errors.internal");
      } finally {
        setBusy(null);
      }
    });
  };

  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite">{done && <Alert variant="success">{done}</Alert>}</div>
      {error && <Alert variant="error">{t.dynamic(error)}</Alert>}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="muted-organizers-empty">
          {t("messages.mute.sectionEmpty")}
        </p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-200" aria-label={t("messages.mute.sectionTitle")}>
          {rows.map((row) => (
            <li key={row.organizationId} className="flex flex-wrap items-center justify-between gap-2 py-3" data-testid="muted-organization">
              <div className="min-w-0">
                <p className="font-medium break-words text-slate-900">{row.organizationName}</p>
                <p className="text-sm text-slate-500">
                  <time dateTime={row.mutedAt}>{t("messages.mute.mutedSince", { date: row.mutedAtText })}</time>
                </p>
              </div>
              <Button
                variant="secondary"
                size="sm"
                pending={busy === row.organizationId}
                onClick={() => unmute(row)}
                aria-label={t("messages.mute.unmuteLabel", { organization: row.organizationName })}
                data-testid="unmute-organization"
              >
                {t("messages.mute.unmute")}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
