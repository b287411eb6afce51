// "Private events of your groups": a signed-in member's upcoming private events (lib/public/queries
// listMemberEvents), as cards with the group's name. Rendered only on per-request routes — the members'
// twins of the organization page and the catalogue, and "My groups" — never into a cached page
// (docs/public-pages.md, "A member's private events").
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import type { MemberEventItem } from "@/lib/public/queries";
import { EventCard } from "./event-card";

export function MemberEvents({
  events,
  locale,
  t,
  title,
  showOrganization = true,
  headingLevel = 2,
}: {
  events: MemberEventItem[];
  locale: Locale;
  t: Translator;
  title: string;
  showOrganization?: boolean;
  headingLevel?: 2 | 3;
}) {
  if (events.length === 0) return null;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby="member-events-title" className="flex flex-col gap-3 rounded-2xl border border-amber-200 bg-amber-50/60 p-4" data-testid="member-events">
      <div className="flex flex-col gap-1">
        <Heading id="member-events-title" className="text-xl font-semibold text-slate-900">
          {title}
        </Heading>
        <p className="text-sm text-slate-700">{t("public.memberEvents.lead")}</p>
      </div>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {events.map((event) => (
          <li key={event.id} className="flex flex-col gap-1" data-testid="member-event">
            <p className="break-words text-xs font-semibold uppercase tracking-wide text-amber-800">{t("public.memberEvents.group", { group: event.group.name })}</p>
            <EventCard event={event} locale={locale} t={t} showOrganization={showOrganization} />
          </li>
        ))}
      </ul>
    </section>
  );
}
