import type { Metadata } from "next";
import { JoinGroupForm } from "@/components/groups/join-group-form";
import { MyGroupList } from "@/components/groups/my-group-list";
import { formatDate } from "@/components/members/format";
import { MemberEvents } from "@/components/public/member-events";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { listMyGroups } from "@/lib/groups";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";
import { listMemberEvents } from "@/lib/public/queries";
import { parseGroupCode } from "@/lib/validation/groups";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("groups.my.metaTitle") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MyGroupsPage({ searchParams }: Props) {
  const user = await requirePageUser("/dashboard/groups");
  const [t, locale, groups, query] = await Promise.all([getT(), getLocale(), listMyGroups({ actor: actorOf(user) }), searchParams]);
  // /dashboard/groups?code=XXXX pre-fills the form (e.g. from the "enter a code" link of a join page).
  const rawCode = Array.isArray(query.code) ? query.code[0] : query.code;
  const code = parseGroupCode(rawCode) ?? "";
  // /dashboard/groups?joined=<id>: arriving from a join link.
  const joinedId = Array.isArray(query.joined) ? query.joined[0] : query.joined;
  const joined = joinedId ? groups.find((g) => g.id === joinedId) : undefined;
  // The upcoming private events of these groups (the groups' own pages are for their organizers).
  const events = groups.length ? await listMemberEvents({ viewerId: user.id, groupIds: groups.map((g) => g.id) }) : [];

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("groups.my.title")}</h1>
        <p className="text-slate-600">{t("groups.my.subtitle")}</p>
      </header>

      {joined && (
        <Alert variant="success" className="break-words">
          {t("groups.my.joined", { name: joined.name })}
        </Alert>
      )}

      <MemberEvents events={events} locale={locale} t={t} title={t("groups.my.eventsTitle")} />

      <Card aria-labelledby="join-title">
        <CardHeader id="join-title" title={t("groups.my.joinTitle")} />
        <JoinGroupForm defaultCode={code} />
      </Card>

      <Card aria-labelledby="my-groups-title">
        <CardHeader id="my-groups-title" title={t("groups.my.listTitle")} />
        <MyGroupList
          groups={groups.map((g) => ({
            id: g.id,
            name: g.name,
            description: g.description,
            organizationName: g.organization.name,
            manageHref: g.canManage ? `/dashboard/o/${encodeURIComponent(g.organization.slug)}/groups/${g.id}` : null,
            memberCount: g.memberCount,
            joined: formatDate(locale, g.joinedAt),
          }))}
        />
      </Card>
    </div>
  );
}
