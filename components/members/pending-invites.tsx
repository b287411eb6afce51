"use client";
// The owner's list of invites that can still be accepted: who it is for, until when, copy the link,
// revoke — and, folded away, both links with their QR codes.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { revokeInviteAction } from "@/lib/organizations/actions/members";
import { Alert } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";
import { ConfirmDialog } from "./confirm-dialog";
import { CopyButton } from "./copy-button";
import { ShareLink } from "./share-link";

export type PendingInviteView = {
  id: string;
  telegramUsername: string | null;
  expires: string;
  webUrl: string;
  telegramUrl: string | null;
};

export function PendingInvites({ organizationId, invites }: { organizationId: string; invites: PendingInviteView[] }) {
  const t = useT();
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite">{notice && <Alert variant="success">{notice}</Alert>}</div>
      {invites.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600" data-testid="invites-empty">
          {t("members.invite.pendingEmpty")}
        </p>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="pending-invites">
          {invites.map((invite) => {
            const title = invite.telegramUsername ? t("members.invite.forUser", { username: invite.telegramUsername }) : t("members.invite.noNote");
            return (
              <li key={invite.id} className="flex flex-col gap-3 rounded-xl border border-slate-200 p-4" data-testid="pending-invite">
                <div className="min-w-0">
                  <p className="font-medium break-words text-slate-900">{title}</p>
                  <p className="text-sm text-slate-500">{t("members.invite.expires", { date: invite.expires })}</p>
                </div>
                <div className="flex flex-wrap items-start gap-2">
                  <CopyButton value={invite.webUrl} label={`${t("members.invite.webLink")} (${title})`} text={t("members.invite.copyWebLink")} />
                  <ConfirmDialog
                    triggerLabel={t("members.invite.revoke")}
                    triggerVariant="ghost"
                    triggerAriaLabel={`${t("members.invite.revoke")}: ${title}`}
                    title={t("members.invite.revokeTitle")}
                    description={t("members.invite.revokeText")}
                    confirmLabel={t("members.invite.revokeConfirm")}
                    cancelLabel={t("members.cancel")}
                    onConfirm={() => revokeInviteAction(organizationId, invite.id)}
                    onDone={() => {
                      setNotice(t("members.invite.revoked"));
                      router.refresh();
                    }}
                  />
                </div>
                <details className="group">
                  <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
                    {t("members.invite.showLinks")}
                  </summary>
                  <div className="mt-2 flex flex-col gap-4">
                    <ShareLink label={t("members.invite.webLink")} url={invite.webUrl} />
                    {invite.telegramUrl && <ShareLink label={t("members.invite.telegramLink")} url={invite.telegramUrl} openLabel={t("members.share.open")} />}
                  </div>
                </details>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
