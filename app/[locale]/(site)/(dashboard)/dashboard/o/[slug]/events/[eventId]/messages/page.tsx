// /dashboard/o/<slug>/events/<eventId>/messages — the event's messages to its attendees, newest first,
// with their progress and results (docs/messages.md), and "New message". OWNER or MODERATOR of the
// event's organization (the service decides); anyone else, or an event of another organization: 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadEventPage } from "@/components/events/event-loader";
import { MessageList } from "@/components/messages/message-list";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { isAppError } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { listEventMessages } from "@/lib/messages";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("messages.ui.title") };
}

export default async function EventMessagesPage({ params }: Props) {
  const { slug, eventId } = await params;
  const [{ user, event, base }, t] = await Promise.all([loadEventPage(slug, eventId), getT()]);
  let messages;
  try {
    messages = await listEventMessages({ actor: actorOf(user), eventId: event.id });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
  return (
    <Card aria-labelledby="event-messages-title" data-testid="event-messages">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <CardHeader id="event-messages-title" title={t("messages.ui.title")} description={t("messages.ui.hint")} />
        <LinkButton href={`${base}/messages/new`} className="shrink-0 self-start" data-testid="new-message">
          {t("messages.ui.newMessage")}
        </LinkButton>
      </div>
      <MessageList eventId={event.id} timeZone={event.timezone} initial={messages} canCancel />
    </Card>
  );
}
