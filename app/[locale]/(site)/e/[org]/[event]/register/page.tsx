// /e/<org>/<event>/register?type=<ticketTypeId>: the registration form (per request: it depends on the
// viewer). The public event page links here; the services re-check every rule at the moment of sale.
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { PromoCodePanel } from "@/components/promo/promo-code-panel";
import { RegisterForm } from "@/components/registrations/register-form";
import type { WaitlistState } from "@/components/registrations/waitlist-panel";
import { formatDateTime } from "@/components/tickets/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { clientIp } from "@/lib/http/client-address";
import { getCurrentUser } from "@/lib/identity/session";
import { isLocale, type Locale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import { publicEventPath } from "@/lib/events/paths";
import { actorOf } from "@/lib/permissions";
import { getRegistrationFormPage } from "@/lib/registrations/queries";
import { waitlistClaimToken } from "@/lib/registrations/tokens";

type Props = {
  params: Promise<{ locale: string; org: string; event: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

async function load(params: Props["params"], promoCode: string | null = null) {
  const { org, event } = await params;
  const user = await getCurrentUser();
  const data = await getRegistrationFormPage({
    actor: actorOf(user),
    organizationSlug: decodeURIComponent(org),
    eventSlug: decodeURIComponent(event),
    // "Have a code?": looked up by the server (failures rate-limited per address), checked again at the sale.
    promoCode,
    clientAddress: promoCode ? clientIp(await headers()) : null,
  });
  return { user, data, org, event };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await getT();
  const { data } = await load(params);
  return {
    title: data?.kind === "form" ? t("registrations.register.metaTitle", { event: data.event.title }) : t("registrations.register.title"),
    robots: { index: false },
  };
}

export default async function RegisterPage({ params, searchParams }: Props) {
  const query = await searchParams;
  const codeParam = one(query.code)?.trim().slice(0, 64) || null;
  const [{ locale: rawLocale }, t, { user, data, org, event }] = await Promise.all([params, getT(), load(params, codeParam)]);
  const locale: Locale = isLocale(rawLocale) ? rawLocale : "ru";
  const typeParam = one(query.type) ?? null;
  const selfPath = `/e/${org}/${event}/register${typeParam ? `?type=${encodeURIComponent(typeParam)}` : ""}`;
  if (!data) notFound();
  if (data.kind === "signInRequired") redirect(signInUrlFor(selfPath));

  const e = data.event;
  const eventPath = publicEventPath(e.organizationSlug, e.slug);
  const signInHref = signInUrlFor(selfPath);
  const signUpHref = `/register?callbackUrl=${encodeURIComponent(selfPath)}`;
  const onSale = data.ticketTypes.filter((tt) => tt.sales === "onSale");
  const nextOpening = data.ticketTypes
    .filter((tt) => tt.sales === "notStarted" && tt.salesStart)
    .map((tt) => tt.salesStart!)
    .sort((a, b) => a.getTime() - b.getTime())[0];

  const waitlist: WaitlistState | null = data.myWaitlist
    ? {
        ticketTypeId: data.myWaitlist.ticketTypeId,
        status: data.myWaitlist.status,
        position: data.myWaitlist.position,
        ahead: data.myWaitlist.ahead,
        offer: data.myWaitlist.offer
          ? {
              ticketTypeId: data.myWaitlist.offer.ticketTypeId,
              expiresAt: data.myWaitlist.offer.expiresAt.toISOString(),
              claimPath: `/waitlist/claim/${data.myWaitlist.entryId}?t=${waitlistClaimToken(data.myWaitlist.entryId)}`,
            }
          : null,
      }
    : null;

  let body: ReactNode;
  if (data.myRegistration) {
    body = (
      <Alert variant="info" title={t("registrations.register.alreadyRegistered", { type: data.myRegistration.ticketTypeName })}>
        <p className="mt-2">
          <Link href={`/dashboard/tickets/${data.myRegistration.id}`} className="font-medium underline" data-testid="existing-ticket-link">
            {t("registrations.register.openTicket")}
          </Link>
        </p>
      </Alert>
    );
  } else if (e.closed) {
    const key = e.closed === "cancelled" ? "closedCancelled" : e.closed === "completed" ? "closedCompleted" : "closedStarted";
    body = <Alert variant="error">{t(`registrations.register.${key}`)}</Alert>;
  } else if (onSale.length === 0) {
    body = (
      <Alert variant="info">
        {nextOpening
          ? t("registrations.register.salesNotStarted", { date: formatDateTime(nextOpening, e.timezone, locale) })
          : data.ticketTypes.length > 0
            ? t("registrations.register.salesEnded")
            : t("registrations.register.noTicketTypes")}
      </Alert>
    );
  } else if (!user && !e.allowGuests) {
    body = (
      <div className="flex flex-col gap-4">
        <Alert variant="info">{t("registrations.register.signInPrompt")}</Alert>
        <div className="flex flex-col gap-2 sm:flex-row">
          <LinkButton href={signInHref} size="lg" className="sm:flex-1">
            {t("registrations.register.signIn")}
          </LinkButton>
          <LinkButton href={signUpHref} size="lg" variant="secondary" className="sm:flex-1">
            {t("registrations.register.signUp")}
          </LinkButton>
        </div>
      </div>
    );
  } else {
    body = (
      <RegisterForm
        eventId={e.id}
        timezone={e.timezone}
        ticketTypes={onSale.map((tt) => ({
          id: tt.id,
          name: tt.name,
          description: tt.description,
          priceCents: tt.priceCents,
          currency: tt.currency,
          reservationMinutes: tt.reservationMinutes,
          prepaymentPercent: tt.prepaymentPercent,
          availableToPublic: tt.availableToPublic,
          soldOut: tt.soldOut,
          promo: tt.promo,
        }))}
        promoCode={data.promo && data.promo.refusal === null ? data.promo.code : null}
        initialTypeId={typeParam}
        viewer={data.viewer}
        fields={e.registrationFields}
        waitlist={waitlist}
        signInHref={signInHref}
        signUpHref={signUpHref}
      />
    );
  }

  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-4 px-4 py-4 sm:py-8">
      <nav>
        <Link href={eventPath} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 hover:underline">
          ← {t("registrations.register.backToEvent")}
        </Link>
      </nav>
      <header className="flex flex-col gap-1">
        <p className="text-sm font-medium text-slate-500">{e.organizationName}</p>
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{e.title}</h1>
        <p className="text-slate-700">{formatDateTime(e.startsAt, e.timezone, locale)}</p>
        <p className="text-slate-600">{e.locationType === "ONLINE" ? t("registrations.register.online") : e.locationAddress}</p>
        {e.isPrivate && (
          <p>
            <Badge tone="brand">{t("registrations.register.privateEvent")}</Badge>
          </p>
        )}
      </header>
      {!data.myRegistration && !e.closed && (
        <PromoCodePanel
          action={`/e/${org}/${event}/register`}
          typeParam={typeParam}
          promo={data.promo}
          unlocked={data.ticketTypes.filter((tt) => tt.isHidden).map((tt) => tt.name)}
          open={one(query.promo) === "1"}
        />
      )}
      <Card aria-label={t("registrations.register.title")}>{body}</Card>
    </div>
  );
}
