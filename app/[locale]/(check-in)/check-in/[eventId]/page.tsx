import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { Scanner } from "@/components/check-in/scanner";
import { LinkButton } from "@/components/ui/link-button";
import { resolveCheckInAccess } from "@/lib/check-in/access";
import { doorCookieName, verifyDoorCookie } from "@/lib/check-in/door-cookie";
import { isAppError } from "@/lib/errors";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";

type Props = { params: Promise<{ locale: string; eventId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, eventId } = await params;
  const t = translatorFor(isLocale(locale) ? locale : "ru");
  return {
    title: t("checkIn.scanner.heading"),
    // The per-event web manifest (installable scanner that opens straight at this event).
    manifest: `/check-in/${encodeURIComponent(eventId)}/webmanifest`,
    icons: { icon: "/check-in-icon.svg", apple: "/check-in-icon-192.png" },
  };
}

/**
 * The door scanner of one event. Access is decided here for the page (organization staff, platform
 * admins, or the door-staff cookie of this event) and again by every /api/check-in request.
 */
export default async function CheckInPage({ params }: Props) {
  const { locale, eventId } = await params;
  if (!isLocale(locale)) notFound();
  const t = translatorFor(locale);
  const path = `/check-in/${eventId}`;
  const [user, jar] = await Promise.all([getCurrentUser(), cookies()]);
  const doorAccess = verifyDoorCookie(jar.get(doorCookieName(eventId))?.value, eventId);

  let access: Awaited<ReturnType<typeof resolveCheckInAccess>>;
  try {
    access = await resolveCheckInAccess({ actor: actorOf(user), doorAccess, eventId });
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "UNAUTHENTICATED") redirect(signInUrlFor(path));
    if (error.code === "NOT_FOUND") notFound();
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-4 px-6 py-10 text-center">
        <h1 className="text-2xl font-bold">{t("checkIn.scanner.page.noAccessTitle")}</h1>
        <p role="alert" className="max-w-md text-amber-200" data-testid="no-access-reason">
          {t.dynamic(error.message)}
        </p>
        <p className="max-w-md text-slate-300">{t("checkIn.scanner.page.noAccessText")}</p>
        <div className="flex flex-wrap justify-center gap-3">
          {!user && (
            <LinkButton href={signInUrlFor(path)} size="lg">
              {t("checkIn.scanner.page.signIn")}
            </LinkButton>
          )}
          <LinkButton href="/" variant="secondary" size="lg">
            {t("checkIn.scanner.page.home")}
          </LinkButton>
        </div>
      </div>
    );
  }

  return <Scanner eventId={access.event.id} eventTitle={access.event.title} viewer={{ kind: access.viewer.kind, name: access.viewer.name }} />;
}
