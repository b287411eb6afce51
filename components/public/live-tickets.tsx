"use client";
// The live part of a cached event page: seats of each ticket type (sold out / N left / available),
// whether registration is open, the OPEN participants list, and the waitlist. The page itself is
// static; this island asks GET /api/events/<id>/availability (cached for a few seconds) after hydration
// and every 30 s while the tab is visible. Plain fetch, no data library.
//
// Waitlist: a sold-out type whose availability says `waitlist` offers "Join the waitlist" instead of a
// dead "sold out" button. A signed-in visitor (the members' twin route passes `viewer`) joins in one
// tap (the register page's server action) and sees the position; an anonymous visitor (the cached
// route, `viewer` null) goes to sign in / sign up and comes back here with the tap available.
//
// Texts with a number arrive as compiled ICU messages (plural forms: "Осталось 1 место / 2 места /
// 5 мест") and are formatted here with the one ICU runtime (lib/i18n/icu.ts).
import { useEffect, useState } from "react";
import { joinWaitlistAction, leaveWaitlistAction } from "@/lib/registrations/actions/register";
import type { Locale } from "@/lib/i18n/config";
import { formatMessage, type CompiledMessage } from "@/lib/i18n/icu";

export type LiveTicket = { id: string; name: string; description: string | null; price: string };

export type LiveLabels = {
  checking: string;
  soldOut: string;
  /** {count, plural, …} */
  left: CompiledMessage;
  unlimited: string;
  notOnSale: string;
  register: string;
  /** "…{name}" */
  registerType: CompiledMessage;
  registrationClosed: string;
  availabilityError: string;
  participants: string;
  /** {count, plural, …} */
  participantsMore: CompiledMessage;
  participantsEmpty: string;
  waitlistJoin: string;
  /** "…{name}" */
  waitlistJoinType: CompiledMessage;
  waitlistSignIn: string;
  waitlistTitle: string;
  waitlistYouAreIn: string;
  /** "…{position}" */
  waitlistPosition: CompiledMessage;
  /** {count, plural, …} */
  waitlistAhead: CompiledMessage;
  /** "…{type}" */
  waitlistForType: CompiledMessage;
  waitlistForAny: string;
  waitlistLeave: string;
  waitlistLeft: string;
  waitlistOfferTitle: string;
  waitlistClaim: string;
  /** Texts of the service's error keys ("errors.alreadyOnWaitlist" → text); `errors.internal` is the fallback. */
  errors: Record<string, string>;
};

/** The viewer's live waitlist entry for the event. */
export type LiveWaitlistEntry = {
  /** Null = any ticket type. */
  ticketTypeId: string | null;
  position: number;
  ahead: number;
  /** A seat is held for the viewer: the claim page (path with its token). */
  offer: { claimPath: string } | null;
};

/** The signed-in visitor (members' twin route); null on the cached page (anonymous). */
export type LiveViewer = { waitlist: LiveWaitlistEntry | null };

type Availability = {
  open: boolean;
  ticketTypes: { id: string; onSale: boolean; soldOut: boolean; available: number | null; waitlist?: boolean }[];
  participants: { ticketTypeId: string; names: string[]; total: number }[] | null;
};

const REFRESH_MS = 30_000;

export function LiveTickets({
  eventId,
  tickets,
  registerPath,
  initiallyOpen,
  showParticipants,
  labels,
  locale,
  viewer,
  signInHref,
}: {
  eventId: string;
  tickets: LiveTicket[];
  registerPath: string;
  initiallyOpen: boolean;
  showParticipants: boolean;
  labels: LiveLabels;
  locale: Locale;
  viewer: LiveViewer | null;
  /** Sign-in page with callbackUrl back to this page (anonymous visitors joining the waitlist). */
  signInHref: string;
}) {
  const [data, setData] = useState<Availability | null>(null);
  const [failed, setFailed] = useState(false);
  const [entry, setEntry] = useState<LiveWaitlistEntry | null>(viewer?.waitlist ?? null);
  /** The ticket type being joined ("" = leaving), for the buttons' busy state. */
  const [busy, setBusy] = useState<string | null>(null);
  const [waitlistError, setWaitlistError] = useState<string | null>(null);
  const [waitlistNotice, setWaitlistNotice] = useState<string | null>(null);
  const errorText = (key: string | undefined) => (key && labels.errors[key]) || labels.errors["errors.internal"] || "";

  async function join(ticketTypeId: string) {
    setBusy(ticketTypeId);
    setWaitlistError(null);
    setWaitlistNotice(null);
    try {
      const result = await joinWaitlistAction({ eventId, ticketTypeId });
      if (result.ok) setEntry({ ticketTypeId, position: result.position, ahead: result.ahead, offer: null });
      else setWaitlistError(errorText(result.message));
    } catch {
      setWaitlistError(errorText(undefined));
    } finally {
      setBusy(null);
    }
  }

  async function leave() {
    setBusy("");
    setWaitlistError(null);
    try {
      const result = await leaveWaitlistAction({ eventId });
      if (result.ok) {
        setEntry(null);
        setWaitlistNotice(labels.waitlistLeft);
      } else setWaitlistError(errorText(result.message));
    } catch {
      setWaitlistError(errorText(undefined));
    } finally {
      setBusy(null);
    }
  }

  useEffect(() => {
    let stopped = false;
    async function load() {
      if (document.visibilityState === "hidden") return;
      try {
        const response = await fetch(`/api/events/${eventId}/availability`, { headers: { accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        const json = (await response.json()) as Availability;
        if (!stopped) {
          setData(json);
          setFailed(false);
        }
      } catch {
        if (!stopped) setFailed(true);
      }
    }
    void load();
    const timer = window.setInterval(load, REFRESH_MS);
    document.addEventListener("visibilitychange", load);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", load);
    };
  }, [eventId]);

  const open = data ? data.open : initiallyOpen;
  const byId = new Map(data?.ticketTypes.map((t) => [t.id, t]));

  return (
    <>
      <ul className="flex flex-col gap-3" data-testid="ticket-types">
        {tickets.map((ticket) => {
          const live = byId.get(ticket.id);
          const status = !data ? labels.checking : !live || !live.onSale ? labels.notOnSale : live.soldOut ? labels.soldOut : live.available === null ? labels.unlimited : formatMessage(labels.left, locale, { count: live.available });
          const canRegister = open && (!data || (live !== undefined && live.onSale && !live.soldOut));
          return (
            <li key={ticket.id} className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 sm:flex-row sm:items-center sm:justify-between" data-testid="ticket-type">
              <div className="min-w-0">
                <p className="break-words font-semibold text-slate-900">{ticket.name}</p>
                {ticket.description && <p className="break-words text-sm text-slate-600">{ticket.description}</p>}
                <p className="mt-1 text-sm">
                  <span className="font-semibold text-slate-900">{ticket.price}</span>
                  <span className="text-slate-400"> · </span>
                  <span className={live?.soldOut ? "font-medium text-red-700" : "text-slate-700"} data-testid="ticket-availability" aria-live="polite">
                    {status}
                  </span>
                </p>
              </div>
              {canRegister ? (
                <a
                  href={`${registerPath}?type=${ticket.id}`}
                  className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-xl bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
                  aria-label={formatMessage(labels.registerType, locale, { name: ticket.name })}
                  data-testid="register-link"
                >
                  {labels.register}
                </a>
              ) : live?.waitlist && !entry ? (
                viewer ? (
                  <button
                    type="button"
                    onClick={() => void join(ticket.id)}
                    disabled={busy !== null}
                    aria-busy={busy === ticket.id || undefined}
                    className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-xl bg-amber-500 px-4 text-sm font-semibold text-slate-950 hover:bg-amber-400 disabled:opacity-60"
                    aria-label={formatMessage(labels.waitlistJoinType, locale, { name: ticket.name })}
                    data-testid="waitlist-join"
                  >
                    {labels.waitlistJoin}
                  </button>
                ) : (
                  <a
                    href={signInHref}
                    className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-xl bg-amber-500 px-4 text-sm font-semibold text-slate-950 hover:bg-amber-400"
                    aria-label={formatMessage(labels.waitlistJoinType, locale, { name: ticket.name })}
                    data-testid="waitlist-join"
                  >
                    {labels.waitlistJoin}
                  </a>
                )
              ) : live?.waitlist && entry && (entry.ticketTypeId === null || entry.ticketTypeId === ticket.id) ? (
                <span className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-xl bg-amber-100 px-4 text-sm font-medium text-amber-900">{labels.waitlistYouAreIn}</span>
              ) : (
                <span className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-xl bg-slate-100 px-4 text-sm font-medium text-slate-600">{open ? status : labels.registrationClosed}</span>
              )}
            </li>
          );
        })}
      </ul>
      {failed && (
        <p role="alert" className="text-sm text-red-700">
          {labels.availabilityError}
        </p>
      )}
      {!viewer && data?.ticketTypes.some((t) => t.waitlist) && <p className="text-sm text-slate-600">{labels.waitlistSignIn}</p>}
      <div aria-live="polite" className="flex flex-col gap-3">
        {waitlistError && (
          <p role="alert" className="rounded-xl border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="waitlist-error">
            {waitlistError}
          </p>
        )}
        {waitlistNotice && <p className="rounded-xl border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">{waitlistNotice}</p>}
        {entry && (
          <section aria-labelledby="waitlist-title" className="flex flex-col gap-3 rounded-2xl border border-amber-200 bg-amber-50 p-4" data-testid="waitlist-entry">
            <h3 id="waitlist-title" className="font-semibold text-slate-900">
              {entry.offer ? labels.waitlistOfferTitle : labels.waitlistTitle}
            </h3>
            {!entry.offer && (
              <div className="flex flex-col gap-1 text-sm text-slate-800" data-testid="waitlist-position">
                <p className="text-base font-semibold">{formatMessage(labels.waitlistPosition, locale, { position: entry.position })}</p>
                <p>{formatMessage(labels.waitlistAhead, locale, { count: entry.ahead })}</p>
                <p className="break-words">
                  {entry.ticketTypeId ? formatMessage(labels.waitlistForType, locale, { type: tickets.find((t) => t.id === entry.ticketTypeId)?.name ?? "" }) : labels.waitlistForAny}
                </p>
              </div>
            )}
            <div className="flex flex-col gap-2 sm:flex-row">
              {entry.offer && (
                <a href={entry.offer.claimPath} className="inline-flex min-h-11 items-center justify-center rounded-xl bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
                  {labels.waitlistClaim}
                </a>
              )}
              <button
                type="button"
                onClick={() => void leave()}
                disabled={busy !== null}
                aria-busy={busy === "" || undefined}
                className="inline-flex min-h-11 items-center justify-center rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50 disabled:opacity-60"
                data-testid="waitlist-leave"
              >
                {labels.waitlistLeave}
              </button>
            </div>
          </section>
        )}
      </div>
      {showParticipants && (
        // Collapsed by default: a long list arriving after hydration must not become the page's
        // largest paint (LCP) or push content around; the summary says how many there are.
        <details className="group rounded-2xl border border-slate-200 bg-white" data-testid="participants">
          <summary className="flex min-h-11 cursor-pointer items-center justify-between gap-2 px-4 py-2 text-lg font-semibold text-slate-900">
            <span>
              {labels.participants}
              {data?.participants && data.participants.length > 0 && ` · ${data.participants.reduce((sum, g) => sum + g.total, 0)}`}
            </span>
            <svg viewBox="0 0 20 20" className="size-5 shrink-0 transition-transform group-open:rotate-180" fill="currentColor" aria-hidden="true">
              <path fillRule="evenodd" d="M5.2 7.2a1 1 0 0 1 1.4 0L10 10.6l3.4-3.4a1 1 0 1 1 1.4 1.4l-4.1 4.1a1 1 0 0 1-1.4 0L5.2 8.6a1 1 0 0 1 0-1.4z" clipRule="evenodd" />
            </svg>
          </summary>
          <div className="flex flex-col gap-3 px-4 pb-4">
            {!data ? (
              <p className="text-sm text-slate-500">{labels.checking}</p>
            ) : !data.participants || data.participants.length === 0 ? (
              <p className="text-sm text-slate-600">{labels.participantsEmpty}</p>
            ) : (
              data.participants.map((group) => (
                <div key={group.ticketTypeId}>
                  <h3 className="text-sm font-semibold text-slate-800">
                    {tickets.find((t) => t.id === group.ticketTypeId)?.name} · {group.total}
                  </h3>
                  <p className="mt-1 break-words text-sm text-slate-700">
                    {group.names.join(", ")}
                    {group.total > group.names.length && ` ${formatMessage(labels.participantsMore, locale, { count: group.total - group.names.length })}`}
                  </p>
                </div>
              ))
            )}
          </div>
        </details>
      )}
    </>
  );
}
