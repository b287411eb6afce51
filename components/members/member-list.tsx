"use client";
// The organization's team: the owner first, then moderators, each with role and join date. The owner
// sees "transfer ownership" and "remove" on every moderator; a moderator sees "leave" on their own row.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { leaveOrganizationAction, removeMemberAction } from "@/lib/organizations/actions/members";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { useT } from "@/lib/i18n/client";
import { ConfirmDialog } from "./confirm-dialog";
import { TransferOwnershipDialog } from "./transfer-ownership-dialog";

export type MemberView = {
  id: string;
  name: string;
  contact: string | null;
  role: "OWNER" | "MODERATOR";
  joined: string;
  invitedBy: string | null;
  isSelf: boolean;
};

export function MemberList({
  organizationId,
  organizationName,
  members,
  viewer,
}: {
  organizationId: string;
  organizationName: string;
  members: MemberView[];
  viewer: { canRemove: boolean; canTransfer: boolean; canLeave: boolean };
}) {
  const t = useT();
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => {
    setNotice(message);
    router.refresh();
  };

  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite">{notice && <Alert variant="success">{notice}</Alert>}</div>
      <ul className="flex flex-col divide-y divide-slate-100" data-testid="member-list">
        {members.map((m) => (
          <li key={m.id} className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="member-row" data-role={m.role}>
            <div className="min-w-0">
              <p className="flex flex-wrap items-center gap-2">
                <span className="font-medium break-words text-slate-900">{m.name}</span>
                {m.isSelf && <span className="text-sm text-slate-500">({t("members.you")})</span>}
                <Badge tone={m.role === "OWNER" ? "success" : "neutral"}>{m.role === "OWNER" ? t("members.roleOwner") : t("members.roleModerator")}</Badge>
              </p>
              {m.contact && <p className="text-sm break-all text-slate-600">{m.contact}</p>}
              <p className="text-sm text-slate-500">
                {t("members.joinedAt", { date: m.joined })}
                {m.invitedBy && <> · {t("members.invitedBy", { name: m.invitedBy })}</>}
              </p>
            </div>
            <div className="flex shrink-0 flex-wrap gap-2">
              {m.role === "MODERATOR" && !m.isSelf && viewer.canTransfer && (
                <TransferOwnershipDialog
                  organizationId={organizationId}
                  organizationName={organizationName}
                  member={{ id: m.id, name: m.name }}
                  onDone={() => done(t("members.transferred", { name: m.name }))}
                />
              )}
              {m.role === "MODERATOR" && !m.isSelf && viewer.canRemove && (
                <ConfirmDialog
                  triggerLabel={t("members.remove")}
                  triggerAriaLabel={`${t("members.remove")}: ${m.name}`}
                  triggerTestId="remove-member"
                  title={t("members.removeTitle", { name: m.name })}
                  description={t("members.removeText", { name: m.name })}
                  confirmLabel={t("members.removeConfirm")}
                  cancelLabel={t("members.cancel")}
                  onConfirm={() => removeMemberAction(organizationId, m.id)}
                  onDone={() => done(t("members.removed", { name: m.name }))}
                />
              )}
              {m.isSelf && viewer.canLeave && (
                <ConfirmDialog
                  triggerLabel={t("members.leave")}
                  triggerTestId="leave-organization"
                  title={t("members.leaveTitle", { organization: organizationName })}
                  description={t("members.leaveText")}
                  confirmLabel={t("members.leaveConfirm")}
                  cancelLabel={t("members.cancel")}
                  onConfirm={() => leaveOrganizationAction(organizationId)}
                  onDone={() => router.replace("/dashboard")}
                />
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
