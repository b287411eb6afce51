import type { Metadata } from "next";
import Link from "next/link";
import { EventActions } from "@/components/events/event-actions";
import { loadEventPage } from "@/components/events/event-loader";
import { formatEventRange } from "@/components/events/format";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { EmbedCard } from "@/components/widget/embed-card";
import { env } from "@/lib/env";
import { EVENT_PARTICIPANT_STATUSES } from "@/lib/events/status";
import { getLocale, getT } from "@/lib/i18n/server";
import { mediaSources } from "@/lib/media/urls";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, eventId } = await params;
  const { event } = await loadEventPage(slug, eventId);
  return { title: event.title };
}

export default async function EventOverviewPage({ params }: Props) {
  const { slug, eventId } = await params;
  const [{ event, base }, t, locale] = await Promise.all([loadEventPage(slug, eventId), getT(), getLocale()]);
  const active = EVENT_PARTICIPANT_STATUSES.reduce((n, s) => n + event.registrationCounts[s], 0);
  const cover = event.cover ? mediaSources(event.cover, "MEDIUM") : null;
  const publicPath = new URL(event.publicUrl).pathname;

  return (
    <div className="flex flex-col gap-5">
      {event.status === "CANCELLED" && event.cancellationReason && (
        <p className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="cancellation-reason">
          {t("events.ui.overview.cancelledReason", { reason: event.cancellationReason })}
        </p>
      )}

      <Card aria-labelledby="event-details">
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <h2 id="event-details" className="text-lg font-semibold text-slate-900 sm:text-xl">
            {t("events.ui.tabs.overview")}
          </h2>
          {event.can.edit && (
            <LinkButton href={`${base}/edit`} variant="secondary" data-testid="edit-event">
              {t("events.ui.overview.edit")}
            </LinkButton>
          )}
        </div>
        {cover && (
          // eslint-disable-next-line @next/next/no-img-element -- variants come from the media store with their own srcset
          <img
            src={cover.src}
            srcSet={cover.srcSet}
            sizes="(min-width: 640px) 600px, 100vw"
            width={cover.width}
            height={cover.height}
            alt=""
            className="mb-4 aspect-video w-full max-w-xl rounded-xl object-cover"
            data-testid="event-cover"
          />
        )}
        <dl className="grid gap-3 sm:grid-cols-[10rem_1fr]">
          <dt className="text-sm font-medium text-slate-500">{t("events.ui.overview.dates")}</dt>
          <dd className="text-slate-900" data-testid="event-dates">
            {formatEventRange(locale, event.startsAt, event.endsAt, event.timezone)}
          </dd>
          <dt className="text-sm font-medium text-slate-500">{t("events.ui.overview.place")}</dt>
          <dd className="break-words text-slate-900">
            <span className="block">{t(`events.ui.locationType.${event.locationType}`)}</span>
            {event.locationAddress && <span className="block">{event.locationAddress}</span>}
            {event.locationUrl && <span className="block break-all text-sm text-slate-600">{event.locationUrl}</span>}
          </dd>
          <dt className="text-sm font-medium text-slate-500">{t("events.ui.overview.group")}</dt>
          <dd className="text-slate-900">{event.group ? t("events.ui.overview.groupPrivate", { group: event.group.name }) : t("events.ui.overview.groupPublic")}</dd>
          <dt className="text-sm font-medium text-slate-500">{t("events.ui.overview.organizer")}</dt>
          <dd className="text-slate-900">{event.organizer.name}</dd>
          <dt className="text-sm font-medium text-slate-500">{t("events.ui.overview.registrations")}</dt>
          <dd className="flex flex-wrap gap-x-4 text-slate-900" data-testid="event-registration-counts">
            <span>{t("events.ui.overview.registrationsActive", { count: active })}</span>
            <span>{t("events.ui.overview.registrationsCheckedIn", { count: event.registrationCounts.CHECKED_IN })}</span>
            <span>{t("events.ui.overview.registrationsCancelled", { count: event.registrationCounts.CANCELLED })}</span>
          </dd>
          <dt className="text-sm font-medium text-slate-500">{t("events.ui.overview.publicLink")}</dt>
          <dd>
            {event.status === "PUBLISHED" || event.status === "COMPLETED" ? (
              <Link href={publicPath} className="break-all font-medium text-brand-700 underline underline-offset-2" data-testid="public-event-link">
                {event.publicUrl}
              </Link>
            ) : (
              <span className="text-sm text-slate-600">{t("events.ui.overview.publicLinkDraft")}</span>
            )}
          </dd>
        </dl>
      </Card>

      <Card aria-labelledby="event-actions">
        <CardHeader id="event-actions" title={t("events.ui.overview.actions")} />
        <EventActions
          eventId={event.id}
          listHref={`/dashboard/o/${encodeURIComponent(slug)}/events`}
          status={event.status}
          can={event.can}
          publishBlockers={event.publishBlockers}
          activeRegistrations={active}
        />
      </Card>

      <EmbedCard
        event={{ id: event.id, status: event.status, isPrivate: event.group !== null, allowGuests: event.settings.allowGuests }}
        appUrl={env().APP_URL}
        locale={locale}
        t={t}
      />
    </div>
  );
}
