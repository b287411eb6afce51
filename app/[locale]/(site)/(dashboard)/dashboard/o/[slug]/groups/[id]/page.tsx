import type { Metadata } from "next";
import Link from "next/link";
import { DeleteGroup } from "@/components/groups/delete-group";
import { GroupCodeCard } from "@/components/groups/group-code-card";
import { GroupForm } from "@/components/groups/group-form";
import { loadGroupPage } from "@/components/groups/group-loader";
import { GroupMemberList } from "@/components/groups/group-member-list";
import { formatDate } from "@/components/members/format";
import { Card, CardHeader } from "@/components/ui/card";
import { getLocale, getT } from "@/lib/i18n/server";

type Props = { params: Promise<{ slug: string; id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("groups.title") };
}

export default async function GroupPage({ params }: Props) {
  const { slug, id } = await params;
  // Authorized (404 otherwise) by the layout, before the loading state streams; the load is cached.
  const [{ group }, t, locale] = await Promise.all([loadGroupPage(slug, id), getT(), getLocale()]);
  const base = `/dashboard/o/${encodeURIComponent(slug)}/groups`;

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-2">
        <Link href={base} className="inline-flex min-h-11 items-center self-start text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
          ← {t("groups.back")}
        </Link>
        <h1 className="text-2xl font-bold break-words text-slate-900 sm:text-3xl">{group.name}</h1>
        <p className="text-slate-600">
          {group.organization.name} · {t("groups.memberCount", { count: group.members.length })}
        </p>
      </header>

      <Card aria-labelledby="code-title">
        <CardHeader id="code-title" title={t("groups.codeTitle")} description={t("groups.codeText")} />
        <GroupCodeCard groupId={group.id} code={group.inviteCode} joinUrl={group.joinUrl} canRegenerate={group.viewer.canUpdate} />
      </Card>

      <Card aria-labelledby="group-members-title">
        <CardHeader id="group-members-title" title={t("groups.membersTitle")} />
        <GroupMemberList
          groupId={group.id}
          canRemove={group.viewer.canUpdate}
          members={group.members.map((m) => ({
            id: m.id,
            name: m.name,
            contact: m.email ?? (m.telegramUsername ? `@${m.telegramUsername}` : null),
            joined: formatDate(locale, m.joinedAt),
            isSelf: m.isSelf,
          }))}
        />
      </Card>

      {group.viewer.canUpdate && (
        <Card aria-labelledby="edit-title">
          <CardHeader id="edit-title" title={t("groups.editTitle")} />
          <GroupForm mode="edit" groupId={group.id} defaults={{ name: group.name, description: group.description }} />
        </Card>
      )}

      {group.viewer.canDelete && (
        <Card aria-labelledby="delete-title" className="border-red-200">
          <CardHeader id="delete-title" title={t("groups.deleteTitle")} description={t("groups.deleteText")} />
          {group.eventCount > 0 ? (
            <p className="text-sm text-slate-700" data-testid="group-has-events">
              {t("groups.deleteHasEvents", { count: group.eventCount })}
            </p>
          ) : (
            <DeleteGroup groupId={group.id} groupName={group.name} slug={slug} />
          )}
        </Card>
      )}
    </div>
  );
}
