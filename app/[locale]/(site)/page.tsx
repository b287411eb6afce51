import Link from "next/link";
import { LinkButton } from "@/components/ui/link-button";
import { getCurrentUser } from "@/lib/identity/session";
import { getLocale, getT } from "@/lib/i18n/server";
import { EventCard } from "@/components/public/event-card";
import { listUpcomingPublicEvents } from "@/lib/public/queries";

export default async function LandingPage() {
  const [user, t, locale, upcoming] = await Promise.all([getCurrentUser(), getT(), getLocale(), listUpcomingPublicEvents({ limit: 3 })]);

  const audiences = [
    { title: t("landing.organizersTitle"), text: t("landing.organizersText"), icon: "M4 21V5a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v16M8 7h8M8 11h8M8 15h5" },
    { title: t("landing.participantsTitle"), text: t("landing.participantsText"), icon: "M3 8a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-2a2 2 0 0 0 0-4V8zM14 6v12" },
    { title: t("landing.moderatorsTitle"), text: t("landing.moderatorsText"), icon: "M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2M18 14h2M14 18h6M17 16v4" },
  ];
  const features = [t("landing.featureTelegram"), t("landing.featureTickets"), t("landing.featureCheckIn"), t("landing.featureGroups")];

  return (
    <>
      <section className="bg-gradient-to-b from-brand-50 to-slate-50">
        <div className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-12 sm:py-20">
          <h1 className="max-w-3xl text-3xl font-bold leading-tight tracking-tight text-slate-900 sm:text-5xl">{t("landing.heroTitle")}</h1>
          <p className="max-w-2xl text-lg leading-relaxed text-slate-700">{t("landing.heroText")}</p>
          <div className="flex flex-col gap-3 sm:flex-row">
            {user ? (
              <LinkButton href="/dashboard" size="lg">
                {t("landing.ctaDashboard")}
              </LinkButton>
            ) : (
              <>
                <LinkButton href="/register" size="lg">
                  {t("landing.ctaStart")}
                </LinkButton>
                <LinkButton href="/login" size="lg" variant="secondary">
                  {t("landing.ctaSignIn")}
                </LinkButton>
              </>
            )}
          </div>
        </div>
      </section>

      {upcoming.length > 0 && (
        <section aria-labelledby="upcoming-events" className="mx-auto w-full max-w-5xl px-4 pt-12" data-testid="landing-upcoming">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="upcoming-events" className="text-2xl font-bold text-slate-900">
              {t("public.landing.upcomingTitle")}
            </h2>
            <Link href="/events" className="font-medium text-brand-700 underline underline-offset-2">
              {t("public.landing.seeAll")}
            </Link>
          </div>
          <ul className="mt-6 grid gap-4 sm:grid-cols-3">
            {upcoming.map((event) => (
              <li key={event.id}>
                <EventCard event={event} locale={locale} t={t} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="audiences" className="mx-auto w-full max-w-5xl px-4 py-12">
        <h2 id="audiences" className="text-2xl font-bold text-slate-900">
          {t("landing.audiencesTitle")}
        </h2>
        <ul className="mt-6 grid gap-4 sm:grid-cols-3">
          {audiences.map((a) => (
            <li key={a.title} className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
              <svg viewBox="0 0 24 24" className="size-8 text-brand-600" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
                <path d={a.icon} />
              </svg>
              <h3 className="mt-3 text-lg font-semibold text-slate-900">{a.title}</h3>
              <p className="mt-2 leading-relaxed text-slate-700">{a.text}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="features" className="mx-auto w-full max-w-5xl px-4 pb-12">
        <h2 id="features" className="text-2xl font-bold text-slate-900">
          {t("landing.featuresTitle")}
        </h2>
        <ul className="mt-6 grid gap-3 sm:grid-cols-2">
          {features.map((f) => (
            <li key={f} className="flex items-start gap-3 rounded-xl bg-white p-4 text-slate-800 ring-1 ring-slate-200">
              <svg viewBox="0 0 20 20" className="mt-0.5 size-5 shrink-0 text-emerald-600" fill="currentColor" aria-hidden="true">
                <path fillRule="evenodd" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0z" clipRule="evenodd" />
              </svg>
              <span>{f}</span>
            </li>
          ))}
        </ul>
      </section>

      {!user && (
        <section className="bg-brand-700 text-white">
          <div className="mx-auto flex max-w-5xl flex-col gap-4 px-4 py-12 sm:flex-row sm:items-center sm:justify-between">
            <div>
              <h2 className="text-2xl font-bold">{t("landing.finalTitle")}</h2>
              <p className="mt-2 text-brand-100">{t("landing.finalText")}</p>
            </div>
            <LinkButton href="/register" size="lg" variant="secondary" className="shrink-0">
              {t("landing.ctaStart")}
            </LinkButton>
          </div>
        </section>
      )}
    </>
  );
}
