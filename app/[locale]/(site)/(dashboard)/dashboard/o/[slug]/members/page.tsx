import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InviteForm } from "@/components/members/invite-form";
import { MemberList, type MemberView } from "@/components/members/member-list";
import { PendingInvites } from "@/components/members/pending-invites";
import { formatDate } from "@/components/members/format";
import { Card, CardHeader } from "@/components/ui/card";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { listPendingInvites } from "@/lib/organizations/invites";
import { listMembers } from "@/lib/organizations/members";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("members.title") };
}

export default async function MembersPage({ params }: Props) {
  const { slug } = await params;
  const user = await requirePageUser(`/dashboard/o/${encodeURIComponent(slug)}/members`);
  const actor = actorOf(user);
  const [t, locale] = await Promise.all([getT(), getLocale()]);

  let list;
  try {
    list = await listMembers({ actor, slug });
  } catch (error) {
    // Another tenant's organization, or one the user may not see, does not exist for them.
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  const { organization, viewer } = list;
  const invites = viewer.canInvite ? await listPendingInvites({ actor, organizationId: organization.id }) : [];

  const members: MemberView[] = list.members.map((m) => ({
    id: m.id,
    name: m.name,
    contact: m.email ?? (m.telegramUsername ? `@${m.telegramUsername}` : null),
    role: m.role,
    joined: formatDate(locale, m.joinedAt),
    invitedBy: m.invitedBy?.name ?? null,
    isSelf: m.isSelf,
  }));

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("members.title")}</h1>
        <p className="text-slate-600">{t("members.subtitle")}</p>
      </header>

      <Card aria-labelledby="team-title">
        <CardHeader id="team-title" title={t("members.listTitle")} description={t("members.listCount", { count: members.length })} />
        <MemberList
          organizationId={organization.id}
          organizationName={organization.name}
          members={members}
          viewer={{ canRemove: viewer.canRemove, canTransfer: viewer.canTransfer, canLeave: viewer.canLeave }}
        />
        {members.length === 1 && viewer.canInvite && (
          <p className="mt-3 rounded-xl border border-dashed border-slate-300 p-4 text-sm text-slate-600" data-testid="members-empty">
            {t("members.listEmptyHint")}
          </p>
        )}
        <p className="mt-4 text-sm text-slate-500">{viewer.canTransfer ? t("members.ownerNote") : t("members.moderatorNote")}</p>
      </Card>

      {viewer.canInvite && (
        <>
          <Card aria-labelledby="invite-title">
            <CardHeader id="invite-title" title={t("members.invite.title")} description={t("members.invite.text")} />
            <InviteForm organizationId={organization.id} />
          </Card>
          <Card aria-labelledby="pending-title">
            <CardHeader id="pending-title" title={t("members.invite.pendingTitle")} />
            <PendingInvites
              organizationId={organization.id}
              invites={invites.map((i) => ({
                id: i.id,
                telegramUsername: i.telegramUsername,
                expires: formatDate(locale, i.expiresAt),
                webUrl: i.webUrl,
                telegramUrl: i.telegramUrl,
              }))}
            />
          </Card>
        </>
      )}
    </div>
  );
}
