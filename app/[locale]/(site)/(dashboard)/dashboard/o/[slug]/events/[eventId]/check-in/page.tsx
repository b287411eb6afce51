import type { Metadata } from "next";
import { loadEventPage } from "@/components/events/event-loader";
import { StaffLinks } from "@/components/events/staff-links";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { listStaffLinks } from "@/lib/check-in";
import { getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("events.ui.checkIn.title") };
}

export default async function EventCheckInPage({ params }: Props) {
  const { slug, eventId } = await params;
  const [{ user, event }, t] = await Promise.all([loadEventPage(slug, eventId), getT()]);
  const { links } = await listStaffLinks({ actor: actorOf(user), eventId: event.id });
  const open = event.status === "DRAFT" || event.status === "PUBLISHED";
  return (
    <div className="flex flex-col gap-5">
      <Card aria-labelledby="scanner-title">
        <CardHeader id="scanner-title" title={t("events.ui.checkIn.title")} description={t("events.ui.checkIn.scannerHint")} />
        <LinkButton href={`/check-in/${event.id}`} size="lg" className="self-start" data-testid="open-scanner">
          {t("events.ui.checkIn.scanner")}
        </LinkButton>
      </Card>
      <Card aria-labelledby="staff-links-title">
        <CardHeader id="staff-links-title" title={t("events.ui.checkIn.staffTitle")} description={t("events.ui.checkIn.staffHint")} />
        <StaffLinks eventId={event.id} timeZone={event.timezone} links={links} canCreate={open} />
      </Card>
    </div>
  );
}
