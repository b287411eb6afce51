// /dashboard/o/<slug>/events/<eventId>/messages/new — the composer (a page, phone first): write, pick
// the audience and the time, see the counts and the preview, send. The services authorize every call
// (OWNER or MODERATOR of the event's organization); this page only renders the form.
import type { Metadata } from "next";
import Link from "next/link";
import { loadEventPage } from "@/components/events/event-loader";
import { MessageComposer } from "@/components/messages/message-composer";
import { Card, CardHeader } from "@/components/ui/card";
import { getT } from "@/lib/i18n/server";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("messages.ui.composeTitle") };
}

export default async function NewEventMessagePage({ params }: Props) {
  const { slug, eventId } = await params;
  const [{ event, base }, t] = await Promise.all([loadEventPage(slug, eventId), getT()]);
  const listHref = `${base}/messages`;
  return (
    <div className="flex flex-col gap-3">
      <Link href={listHref} className="self-start text-sm font-medium text-brand-700 underline underline-offset-2">
        {t("messages.ui.back")}
      </Link>
      <Card aria-labelledby="compose-title">
        <CardHeader id="compose-title" title={t("messages.ui.composeTitle")} description={t("messages.ui.composeHint")} />
        <MessageComposer eventId={event.id} timeZone={event.timezone} ticketTypes={event.ticketTypes.map((tt) => ({ id: tt.id, name: tt.name }))} listHref={listHref} />
      </Card>
    </div>
  );
}
