import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EventForm } from "@/components/events/event-form";
import { loadEventPage } from "@/components/events/event-loader";
import { Alert } from "@/components/ui/alert";
import { eventPublicUrl } from "@/lib/events";
import { listOrganizationGroups } from "@/lib/groups";
import { getT } from "@/lib/i18n/server";
import { dtoPreviewUrl, mediaDto } from "@/lib/media/urls";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("events.ui.editTitle") };
}

export default async function EditEventPage({ params }: Props) {
  const { slug, eventId } = await params;
  const [{ user, event }, t] = await Promise.all([loadEventPage(slug, eventId), getT()]);
  if (!event.can.edit) {
    if (event.status === "CANCELLED" || event.status === "COMPLETED") return <Alert variant="info">{t("events.errors.notEditable")}</Alert>;
    notFound();
  }
  const { groups } = await listOrganizationGroups({ actor: actorOf(user), slug: event.organization.slug });
  const cover = event.cover ? { id: event.cover.id, url: dtoPreviewUrl(mediaDto(event.cover), "medium") } : null;
  return (
    <div className="flex flex-col gap-4">
      <h2 className="text-xl font-semibold text-slate-900">{t("events.ui.editTitle")}</h2>
      <EventForm
        mode="edit"
        eventId={event.id}
        status={event.status}
        organizationSlug={event.organization.slug}
        groups={groups.map((g) => ({ id: g.id, name: g.name }))}
        publicUrlPrefix={eventPublicUrl(event.organization.slug, "")}
        cover={cover}
        defaults={{
          ...event.formValues,
          settings: {
            ...event.formValues.settings,
            registrationFields: event.formValues.settings.registrationFields.map((f) => ({ ...f, options: "options" in f ? [...f.options] : [] })),
          },
        }}
      />
    </div>
  );
}
