// /waitlist/claim/<entryId>?t=<token>: the one-tap claim link of a waitlist offer (sent in Telegram
// with an inline button). Signed-in only (the entry's own user); a wrong token, an unknown entry and
// another user's entry all read "invalid"; a lapsed or used offer says so and links to the event.
import type { Metadata } from "next";
import Link from "next/link";
import { ClaimOfferForm } from "@/components/registrations/claim-offer-form";
import { OfferCountdown } from "@/components/registrations/offer-countdown";
import { formatDateTime, formatPrice } from "@/components/tickets/format";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { requirePageUser } from "@/lib/identity/guards";
import { isLocale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import { publicEventPath } from "@/lib/events/paths";
import { actorOf } from "@/lib/permissions";
import { getWaitlistOffer } from "@/lib/registrations/queries";

type Props = {
  params: Promise<{ locale: string; entryId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("registrations.claim.metaTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function ClaimPage({ params, searchParams }: Props) {
  const [{ locale: rawLocale, entryId }, query, t] = await Promise.all([params, searchParams, getT()]);
  const locale = isLocale(rawLocale) ? rawLocale : "ru";
  const token = (Array.isArray(query.t) ? query.t[0] : query.t) ?? "";
  const user = await requirePageUser(`/waitlist/claim/${encodeURIComponent(entryId)}?t=${encodeURIComponent(token)}`);
  const offer = await getWaitlistOffer({ actor: actorOf(user)!, entryId, token });

  let content;
  if (offer.state === "invalid") {
    content = (
      <>
        <Alert variant="error" title={t("registrations.claim.invalidTitle")}>
          {t("registrations.claim.invalidText")}
        </Alert>
        <LinkButton href="/dashboard/tickets" variant="secondary">
          {t("registrations.claim.toTickets")}
        </LinkButton>
      </>
    );
  } else {
    const e = offer.event;
    const eventPath = publicEventPath(e.organizationSlug, e.slug);
    const header = (
      <header className="flex flex-col gap-1">
        <p className="text-sm font-medium text-slate-500">{e.organizationName}</p>
        <h2 className="text-xl font-bold text-slate-900">{e.title}</h2>
        <p className="text-slate-700">{formatDateTime(e.startsAt, e.timezone, locale)}</p>
      </header>
    );
    if (offer.state === "offer" && offer.expiresAt) {
      const tt = offer.ticketType;
      content = (
        <>
          {header}
          <p className="text-slate-800">{t("registrations.claim.offerText", { event: e.title, date: formatDateTime(offer.expiresAt, e.timezone, locale) })}</p>
          {tt && (
            <p className="font-medium text-slate-900">
              {t("registrations.claim.typeLine", {
                type: tt.name,
                price: tt.priceCents === 0 ? t("registrations.register.free") : formatPrice(tt.priceCents, tt.currency, locale),
              })}
            </p>
          )}
          <OfferCountdown expiresAt={offer.expiresAt.toISOString()} serverNow={offer.now.toISOString()} />
          <ClaimOfferForm entryId={offer.entryId} token={token} fields={e.registrationFields} />
        </>
      );
    } else {
      const [title, text] =
        offer.state === "converted"
          ? [t("registrations.claim.convertedTitle"), t("registrations.claim.convertedText")]
          : offer.state === "waiting"
            ? [t("registrations.claim.waitingTitle"), t("registrations.claim.waitingText")]
            : [t("registrations.claim.expiredTitle"), t("registrations.claim.expiredText")];
      content = (
        <>
          {header}
          <Alert variant={offer.state === "expired" ? "error" : "info"} title={title}>
            {text}
          </Alert>
          <div className="flex flex-col gap-2 sm:flex-row">
            {offer.state === "converted" && offer.registrationId ? (
              <LinkButton href={`/dashboard/tickets/${offer.registrationId}`}>{t("registrations.register.openTicket")}</LinkButton>
            ) : null}
            <LinkButton href={eventPath} variant="secondary">
              {t("registrations.claim.toEvent")}
            </LinkButton>
          </div>
        </>
      );
    }
  }

  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-4 px-4 py-4 sm:py-8">
      <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("registrations.claim.title")}</h1>
      <Card className="flex flex-col gap-4" data-testid={`claim-state-${offer.state}`}>
        {content}
      </Card>
      <Link href="/dashboard/tickets" className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 hover:underline">
        {t("registrations.claim.toTickets")}
      </Link>
    </div>
  );
}
