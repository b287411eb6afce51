"use client";
// "Delete group" (owner only; the service refuses while events are attached).
import { useRouter } from "next/navigation";
import { deleteGroupAction } from "@/lib/groups/actions/manage";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { useT } from "@/lib/i18n/client";

export function DeleteGroup({ groupId, groupName, slug }: { groupId: string; groupName: string; slug: string }) {
  const t = useT();
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel={t("groups.delete")}
      triggerVariant="danger"
      triggerSize="md"
      triggerTestId="delete-group"
      title={t("groups.deleteConfirmTitle", { name: groupName })}
      description={t("groups.deleteConfirmText")}
      confirmLabel={t("groups.deleteConfirm")}
      cancelLabel={t("groups.cancel")}
      onConfirm={() => deleteGroupAction(groupId)}
      onDone={() => router.replace(`/dashboard/o/${encodeURIComponent(slug)}/groups`)}
    />
  );
}
