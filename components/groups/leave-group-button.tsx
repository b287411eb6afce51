"use client";
// One tap: leave the group (no confirmation — joining again needs only the code).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { leaveGroupAction } from "@/lib/groups/actions/membership";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function LeaveGroupButton({ groupId, groupName, onLeft }: { groupId: string; groupName: string; onLeft?: (message: string) => void }) {
  const t = useT();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const leave = () =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await leaveGroupAction(groupId);
        if (result.ok) {
          onLeft?.(t("groups.my.left", { name: groupName }));
          router.refresh();
        } else setError(result.message);
      } catch {
        setError("errors.internal");
      }
    });
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button variant="secondary" size="sm" onClick={leave} pending={pending} aria-label={t("groups.my.leaveLabel", { name: groupName })} data-testid="leave-group">
        {t("groups.my.leave")}
      </Button>
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {t.dynamic(error)}
        </span>
      )}
    </span>
  );
}
