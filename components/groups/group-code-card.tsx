"use client";
// A group's invite code and join link (copy, QR) with "change code" (the old one stops working).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { regenerateGroupCodeAction } from "@/lib/groups/actions/manage";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { CopyButton } from "@/components/members/copy-button";
import { ShareLink } from "@/components/members/share-link";
import { Alert } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";

export function GroupCodeCard({ groupId, code, joinUrl, canRegenerate }: { groupId: string; code: string; joinUrl: string; canRegenerate: boolean }) {
  const t = useT();
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite">{notice && <Alert variant="success">{notice}</Alert>}</div>
      <div className="flex flex-col gap-2">
        <p className="text-sm font-medium text-slate-800">
          {t("groups.codeLabel")}
        </p>
        <div className="flex flex-wrap items-start gap-3">
          <p
            className="rounded-xl bg-slate-100 px-4 py-2 font-mono text-2xl font-semibold tracking-[0.2em] text-slate-900 select-all"
            data-testid="group-code"
          >
            {code}
          </p>
          <CopyButton value={code} label={t("groups.codeLabel")} testId="copy-group-code" />
        </div>
      </div>
      <ShareLink label={t("groups.linkLabel")} url={joinUrl} testId="group-link" />
      {canRegenerate && (
        <div>
          <ConfirmDialog
            triggerLabel={t("groups.regenerate")}
            triggerTestId="regenerate-code"
            title={t("groups.regenerateTitle")}
            description={t("groups.regenerateText")}
            confirmLabel={t("groups.regenerateConfirm")}
            cancelLabel={t("groups.cancel")}
            onConfirm={() => regenerateGroupCodeAction(groupId)}
            onDone={() => {
              setNotice(t("groups.regenerated"));
              router.refresh();
            }}
          />
        </div>
      )}
    </div>
  );
}
