"use client";
// Members of a group (staff view): name, contact, join date, "remove".
import { useRouter } from "next/navigation";
import { useState } from "react";
import { removeGroupMemberAction } from "@/lib/groups/actions/manage";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { Alert } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";

export type GroupMemberView = { id: string; name: string; contact: string | null; joined: string; isSelf: boolean };

export function GroupMemberList({ groupId, members, canRemove }: { groupId: string; members: GroupMemberView[]; canRemove: boolean }) {
  const t = useT();
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite">{notice && <Alert variant="success">{notice}</Alert>}</div>
      {members.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600" data-testid="group-members-empty">
          {t("groups.membersEmpty")}
        </p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-100" data-testid="group-members">
          {members.map((m) => (
            <li key={m.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="group-member">
              <div className="min-w-0">
                <p className="font-medium break-words text-slate-900">
                  {m.name} {m.isSelf && <span className="text-sm font-normal text-slate-500">({t("groups.you")})</span>}
                </p>
                {m.contact && <p className="text-sm break-all text-slate-600">{m.contact}</p>}
                <p className="text-sm text-slate-500">{t("groups.joinedAt", { date: m.joined })}</p>
              </div>
              {canRemove && !m.isSelf && (
                <ConfirmDialog
                  triggerLabel={t("groups.removeMember")}
                  triggerAriaLabel={`${t("groups.removeMember")}: ${m.name}`}
                  title={t("groups.removeMemberTitle", { name: m.name })}
                  description={t("groups.removeMemberText", { name: m.name })}
                  confirmLabel={t("groups.removeMemberConfirm")}
                  cancelLabel={t("groups.cancel")}
                  onConfirm={() => removeGroupMemberAction(groupId, m.id)}
                  onDone={() => {
                    setNotice(t("groups.memberRemoved", { name: m.name }));
                    router.refresh();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
