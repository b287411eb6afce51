"use client";
// The waitlist on the register page: join for the sold-out type (or for any type when every type is
// sold out), then the position and the people ahead; an open offer links to its claim page; leaving is
// one tap. State comes from the server (router.refresh() after each change).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { joinWaitlistAction, leaveWaitlistAction } from "@/lib/registrations/actions/register";
import { formatDateTime } from "@/components/tickets/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LinkButton } from "@/components/ui/link-button";
import { useLocale, useT } from "@/lib/i18n/client";
import { registrationMessage } from "./messages";

export type WaitlistState = {
  ticketTypeId: string | null;
  status: "WAITING" | "NOTIFIED";
  position: number;
  ahead: number;
  /** NOTIFIED: the offered type, the deadline (ISO) and the claim page (path with the token). */
  offer: { ticketTypeId: string; expiresAt: string; claimPath: string } | null;
};

export function WaitlistPanel({
  eventId,
  selected,
  anyAllowed,
  state,
  ticketTypeNames,
  timezone,
  signedIn,
  signInHref,
}: {
  eventId: string;
  /** The selected type when it is sold out. */
  selected: { id: string; name: string } | null;
  /** Every type on sale is sold out: "any type" may be chosen. */
  anyAllowed: boolean;
  state: WaitlistState | null;
  ticketTypeNames: Record<string, string>;
  timezone: string;
  signedIn: boolean;
  signInHref: string;
}) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /** `done`: the notice after success (joining shows the position instead). */
  const run = (fn: () => Promise<{ ok: boolean; message?: string }>, done: string | null) =>
    startTransition(async () => {
      setError(null);
      setNotice(null);
      try {
        const result = await fn();
        if (result.ok) setNotice(done);
        else setError(result.message ?? "errors.internal");
        router.refresh();
      } catch {
        setError("errors.internal");
      }
    });

  return (
    <section aria-labelledby="waitlist-title" className="flex flex-col gap-3 rounded-2xl border border-amber-200 bg-amber-50 p-4" data-testid="waitlist-panel">
      <h2 id="waitlist-title" className="text-base font-semibold text-slate-900">
        {t("registrations.waitlist.title")}
      </h2>
      <div aria-live="polite">
        {notice && <Alert variant="success">{notice}</Alert>}
        {error && <Alert variant="error">{registrationMessage(t, error)}</Alert>}
      </div>

      {state?.offer ? (
        <div className="flex flex-col gap-3">
          <Alert variant="success" title={t("registrations.waitlist.offerTitle")}>
            {t("registrations.waitlist.offerText", {
              type: ticketTypeNames[state.offer.ticketTypeId] ?? "",
              date: formatDateTime(state.offer.expiresAt, timezone, locale),
            })}
          </Alert>
          <LinkButton href={state.offer.claimPath} size="lg" fullWidth>
            {t("registrations.waitlist.claimNow")}
          </LinkButton>
        </div>
      ) : state ? (
        <div className="flex flex-col gap-1 text-sm text-slate-800" data-testid="waitlist-position">
          <p className="text-base font-semibold">{t("registrations.waitlist.position", { position: state.position })}</p>
          <p>{t("registrations.waitlist.ahead", { count: state.ahead })}</p>
          <p>
            {state.ticketTypeId
              ? t("registrations.waitlist.forType", { type: ticketTypeNames[state.ticketTypeId] ?? "" })
              : t("registrations.waitlist.forAny")}
          </p>
        </div>
      ) : (
        <p className="text-sm text-slate-700">{t("registrations.waitlist.soldOutText")}</p>
      )}

      {state ? (
        <Button
          variant="secondary"
          pending={pending}
          onClick={() => run(() => leaveWaitlistAction({ eventId }), t("registrations.waitlist.left"))}
          data-testid="waitlist-leave"
        >
          {t("registrations.waitlist.leave")}
        </Button>
      ) : !signedIn ? (
        <p className="text-sm">
          <Link href={signInHref} className="font-medium text-brand-700 underline">
            {t("registrations.waitlist.signInToJoin")}
          </Link>
        </p>
      ) : (
        <div className="flex flex-col gap-2 sm:flex-row">
          {selected && (
            <Button
              pending={pending}
              onClick={() => run(() => joinWaitlistAction({ eventId, ticketTypeId: selected.id }), null)}
              data-testid="waitlist-join-type"
            >
              {t("registrations.waitlist.joinType", { type: selected.name })}
            </Button>
          )}
          {anyAllowed && (
            <Button
              variant="secondary"
              pending={pending}
              onClick={() => run(() => joinWaitlistAction({ eventId, ticketTypeId: null }), null)}
              data-testid="waitlist-join-any"
            >
              {t("registrations.waitlist.joinAny")}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
