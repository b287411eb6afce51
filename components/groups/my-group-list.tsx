"use client";
// "My groups": the groups the user belongs to, with leave (and "manage" for the organization's staff).
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/link-button";
import { useT } from "@/lib/i18n/client";
import { LeaveGroupButton } from "./leave-group-button";

export type MyGroupView = {
  id: string;
  name: string;
  description: string | null;
  organizationName: string;
  manageHref: string | null;
  memberCount: number;
  joined: string;
};

export function MyGroupList({ groups }: { groups: MyGroupView[] }) {
  const t = useT();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite">{notice && <Alert variant="success">{notice}</Alert>}</div>
      {groups.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 p-4 text-center" data-testid="my-groups-empty">
          <p className="font-medium text-slate-800">{t("groups.my.empty")}</p>
          <p className="mt-1 text-sm text-slate-600">{t("groups.my.emptyHint")}</p>
        </div>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-100" data-testid="my-groups">
          {groups.map((g) => (
            <li key={g.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="my-group">
              <div className="min-w-0">
                <p className="font-medium break-words text-slate-900">{g.name}</p>
                <p className="text-sm text-slate-600">{g.organizationName}</p>
                {g.description && <p className="mt-1 text-sm break-words whitespace-pre-line text-slate-600">{g.description}</p>}
                <p className="mt-1 text-sm text-slate-500">
                  {t("groups.memberCount", { count: g.memberCount })} · {t("groups.joinedAt", { date: g.joined })}
                </p>
              </div>
              <div className="flex shrink-0 flex-wrap gap-2">
                {g.manageHref && (
                  <LinkButton href={g.manageHref} variant="ghost" size="sm">
                    {t("groups.my.manage")}
                  </LinkButton>
                )}
                <LeaveGroupButton groupId={g.id} groupName={g.name} onLeft={setNotice} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
