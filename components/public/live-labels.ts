// The texts the live island of the cached event page shows (components/public/live-tickets.tsx), in the
// page's language: plain texts, and compiled ICU messages where a count decides the form (1 место,
// 2 места, 5 мест). One place for the page and for tests/unit/live-tickets-plurals.test.tsx.
import { compiledText } from "@/lib/i18n/catalogue";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import type { LiveLabels } from "./live-tickets";

/** Errors the waitlist buttons can meet (lib/waitlist), as the island shows them. */
const WAITLIST_ERROR_KEYS = [
  "errors.alreadyOnWaitlist",
  "errors.ticketsStillAvailable",
  "errors.alreadyRegistered",
  "errors.unauthenticated",
  "errors.salesEnded",
  "errors.salesNotStarted",
  "errors.eventStarted",
  "errors.eventCancelled",
  "errors.eventCompleted",
  "errors.ticketTypeInactive",
  "errors.rateLimited",
  "errors.notFound",
  "errors.internal",
] as const;

export function liveTicketsLabels(locale: Locale, t: Translator): LiveLabels {
  return {
    checking: t("public.event.checking"),
    soldOut: t("public.event.soldOut"),
    left: compiledText(locale, "public.event.left"),
    unlimited: t("public.event.unlimited"),
    notOnSale: t("public.event.notOnSale"),
    register: t("public.event.register"),
    registerType: compiledText(locale, "public.event.registerType"),
    registrationClosed: t("public.event.registrationClosed"),
    availabilityError: t("public.event.availabilityError"),
    participants: t("public.event.participants"),
    participantsMore: compiledText(locale, "public.event.participantsMore"),
    participantsEmpty: t("public.event.participantsEmpty"),
    waitlistJoin: t("public.event.waitlistJoin"),
    waitlistJoinType: compiledText(locale, "public.event.waitlistJoinType"),
    waitlistSignIn: t("public.event.waitlistSignIn"),
    waitlistTitle: t("registrations.waitlist.title"),
    waitlistYouAreIn: t("public.event.waitlistYouAreIn"),
    waitlistPosition: compiledText(locale, "registrations.waitlist.position"),
    waitlistAhead: compiledText(locale, "registrations.waitlist.ahead"),
    waitlistForType: compiledText(locale, "registrations.waitlist.forType"),
    waitlistForAny: t("registrations.waitlist.forAny"),
    waitlistLeave: t("registrations.waitlist.leave"),
    waitlistLeft: t("registrations.waitlist.left"),
    waitlistOfferTitle: t("registrations.waitlist.offerTitle"),
    waitlistClaim: t("registrations.waitlist.claimNow"),
    errors: Object.fromEntries(WAITLIST_ERROR_KEYS.map((key) => [key, t(key)])),
  };
}
