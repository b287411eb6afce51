import type { Metadata } from "next";
import { loadEventPage } from "@/components/events/event-loader";
import { formatActivityTime, formatEventDateTime } from "@/components/events/format";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { listEventActivity, type ActivityEntry } from "@/lib/events";
import type { Locale } from "@/lib/i18n/config";
import { getLocale, getT } from "@/lib/i18n/server";
import type { Translator } from "@/lib/i18n/translate";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ slug: string; eventId: string }>; searchParams: Promise<{ page?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("events.ui.activity.title") };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A stored value as people read it: dates in the event's zone, booleans and empties in words. */
function valueText(value: unknown, t: Translator, locale: Locale, timeZone: string, field: string): string {
  if (value === null || value === undefined || value === "") return t("events.ui.activity.emptyValue");
  if (field === "status" && typeof value === "string" && t.has(`events.ui.status.${value}`)) return t.dynamic(`events.ui.status.${value}`);
  if (typeof value === "boolean") return value ? "✓" : "✗";
  if (typeof value === "string" && ISO.test(value)) return formatEventDateTime(locale, value, timeZone);
  if (typeof value === "string") return value.length > 300 ? `${value.slice(0, 300)}…` : value;
  if (typeof value === "number") return String(value);
  const json = JSON.stringify(value);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}

function actionText(entry: ActivityEntry, t: Translator): string {
  const key = `events.ui.activity.actions.${entry.action.replace(".", "_")}`;
  return t.has(key) ? t.dynamic(key) : t("events.ui.activity.actions.other", { action: entry.action });
}

export default async function EventActivityPage({ params, searchParams }: Props) {
  const { slug, eventId } = await params;
  const sp = await searchParams;
  const requested = Number.parseInt(Array.isArray(sp.page) ? sp.page[0] : (sp.page ?? "1"), 10) || 1;
  const [{ user, event, base }, t, locale] = await Promise.all([loadEventPage(slug, eventId), getT(), getLocale()]);
  const activity = await listEventActivity({ actor: actorOf(user), eventId: event.id, page: requested });
  const href = (p: number) => (p > 1 ? `${base}/activity?page=${p}` : `${base}/activity`);

  return (
    <Card aria-labelledby="activity-title">
      <CardHeader id="activity-title" title={t("events.ui.activity.title")} description={t("events.ui.activity.timeZoneNote", { zone: event.timezone })} />
      {activity.items.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-slate-700" data-testid="activity-empty">
          {t("events.ui.activity.empty")}
        </p>
      ) : (
        <ol className="flex flex-col divide-y divide-slate-200" data-testid="activity-list">
          {activity.items.map((entry) => (
            <li key={entry.id} className="flex flex-col gap-1.5 py-3" data-testid="activity-item" data-action={entry.action}>
              <p className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-semibold text-slate-900">{actionText(entry, t)}</span>
                {entry.entityType === "ticket_type" && entry.entityLabel && (
                  <span className="text-sm text-slate-600">{t("events.ui.activity.ticketType", { name: entry.entityLabel })}</span>
                )}
                {entry.entityType === "event_message" && entry.entityLabel && (
                  <span className="text-sm text-slate-600">{t("events.ui.activity.eventMessage", { subject: entry.entityLabel })}</span>
                )}
                {entry.entityType === "registration" && <span className="text-sm text-slate-600">{t("events.ui.activity.registration")}</span>}
              </p>
              <p className="text-sm text-slate-600">
                <time dateTime={entry.createdAt.toISOString()}>{formatActivityTime(locale, entry.createdAt, event.timezone)}</time> ·{" "}
                {entry.actor ? entry.actor.name : entry.notes.by === "schedule" ? `${t("events.ui.activity.system")} (${t("events.ui.activity.bySchedule")})` : t("events.ui.activity.system")}
              </p>
              {entry.changes.length > 0 && (
                <ul className="flex flex-col gap-1 text-sm">
                  {entry.changes.filter((c) => c.field !== "eventId").map((c) => {
                    const fieldKey = `events.ui.activity.fields.${c.field}`;
                    return (
                      <li key={c.field} className="break-words text-slate-700">
                        <span className="font-medium">{t.has(fieldKey) ? t.dynamic(fieldKey) : c.field}</span>:{" "}
                        <span className="sr-only">{t("events.ui.activity.from")} </span>
                        <span className="text-slate-500 line-through decoration-slate-400">{valueText(c.from, t, locale, event.timezone, c.field)}</span>{" "}
                        <span aria-hidden="true">→</span> <span className="sr-only">{t("events.ui.activity.to")} </span>
                        <span className="text-slate-900">{valueText(c.to, t, locale, event.timezone, c.field)}</span>
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {activity.totalPages > 1 && (
        <nav aria-label={t("events.ui.activity.page", { page: activity.page, total: activity.totalPages })} className="mt-4 flex items-center justify-between gap-2">
          {activity.page > 1 ? (
            <LinkButton href={href(activity.page - 1)} variant="secondary" rel="prev">
              ← {t("events.ui.activity.prev")}
            </LinkButton>
          ) : (
            <span />
          )}
          <span className="text-sm text-slate-600">{t("events.ui.activity.page", { page: activity.page, total: activity.totalPages })}</span>
          {activity.page < activity.totalPages ? (
            <LinkButton href={href(activity.page + 1)} variant="secondary" rel="next">
              {t("events.ui.activity.next")} →
            </LinkButton>
          ) : (
            <span />
          )}
        </nav>
      )}
    </Card>
  );
}
