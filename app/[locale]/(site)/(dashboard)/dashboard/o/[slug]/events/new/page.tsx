import type { Metadata } from "next";
import Link from "next/link";
import { EventForm } from "@/components/events/event-form";
import { emptyEventForm } from "@/components/events/form-values";
import { loadOrganizationPage } from "@/components/organizations/organization-loader";
import { eventPublicUrl } from "@/lib/events";
import { listOrganizationGroups } from "@/lib/groups";
import { getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("events.ui.newTitle") };
}

export default async function NewEventPage({ params }: Props) {
  const { slug } = await params;
  const [{ user, overview }, t] = await Promise.all([loadOrganizationPage(slug), getT()]);
  const { organization } = overview;
  const { groups } = await listOrganizationGroups({ actor: actorOf(user), slug: organization.slug });
  const base = `/dashboard/o/${encodeURIComponent(organization.slug)}/events`;
  return (
    <div className="flex flex-col gap-5">
      <Link href={base} className="self-start text-sm font-medium text-brand-700 underline underline-offset-2">
        ← {t("events.ui.back")}
      </Link>
      <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("events.ui.newTitle")}</h1>
      <EventForm
        mode="create"
        organizationId={organization.id}
        organizationSlug={organization.slug}
        groups={groups.map((g) => ({ id: g.id, name: g.name }))}
        publicUrlPrefix={eventPublicUrl(organization.slug, "")}
        cover={null}
        defaults={emptyEventForm()}
      />
    </div>
  );
}
