"use client";
// The mute page's card: "Stop messages from <org>?" → (POST) "Muted. Undo" → (POST) "Unmuted. Mute
// again". Nothing changes until the person presses a button: mail scanners that open links mute no one.
// A token the service does not accept turns the card into "This link does not work".
import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useT } from "@/lib/i18n/client";
import { muteByTokenAction, unmuteByTokenAction } from "@/lib/messages/actions";

type Phase = "ask" | "muted" | "unmuted" | "invalid";

export function MutePanel({ token, organizationName = null, initiallyMuted = false }: { token: string; organizationName?: string | null; initiallyMuted?: boolean }) {
  const t = useT();
  const [phase, setPhase] = useState<Phase>(initiallyMuted ? "muted" : "ask");
  const [organization, setOrganization] = useState<string | null>(organizationName);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const run = (mute: boolean) =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await (mute ? muteByTokenAction : unmuteByTokenAction)({ token });
        if (!result.ok) {
          if (result.code === "NOT_FOUND") setPhase("invalid");
          else setError(result.message);
        } else {
          setOrganization(result.organizationName);
          setPhase(result.muted ? "muted" : "unmuted");
        }
      } catch {
        setError("errors.internal");
      }
      // The heading says what happened: move focus there so a screen reader reads it.
      requestAnimationFrame(() => headingRef.current?.focus());
    });

  const name = organization ?? "";
  const heading =
    phase === "invalid"
      ? t("messages.mute.notFoundTitle")
      : phase === "muted"
        ? t("messages.mute.muted", { organization: name })
        : phase === "unmuted"
          ? t("messages.mute.unmuted", { organization: name })
          : organization
            ? t("messages.mute.question", { organization })
            : t("messages.mute.questionUnknown");

  return (
    <Card aria-labelledby="mute-heading" data-testid="mute-panel" data-phase={phase}>
      <div className="flex flex-col gap-4">
        <h1 id="mute-heading" ref={headingRef} tabIndex={-1} className="text-xl font-bold break-words text-slate-900 outline-none sm:text-2xl" data-testid="mute-heading">
          {heading}
        </h1>
        {phase === "invalid" ? (
          <>
            <p className="text-slate-600">{t("messages.mute.notFoundText")}</p>
            <Link href="/dashboard/account" className="self-start font-medium text-brand-700 underline underline-offset-2">
              {t("messages.mute.toAccount")}
            </Link>
          </>
        ) : (
          <>
            <p className="text-slate-600">{t("messages.mute.explain")}</p>
            {error && <Alert variant="error">{t.dynamic(error)}</Alert>}
            {phase === "ask" && (
              <Button size="lg" variant="danger" pending={pending} onClick={() => run(true)} data-testid="mute-confirm">
                {t("messages.mute.confirm")}
              </Button>
            )}
            {phase === "muted" && (
              <Button size="lg" variant="secondary" pending={pending} onClick={() => run(false)} data-testid="mute-undo">
                {t("messages.mute.undo")}
              </Button>
            )}
            {phase === "unmuted" && (
              <Button size="lg" variant="secondary" pending={pending} onClick={() => run(true)} data-testid="mute-again">
                {t("messages.mute.muteAgain")}
              </Button>
            )}
          </>
        )}
      </div>
    </Card>
  );
}
