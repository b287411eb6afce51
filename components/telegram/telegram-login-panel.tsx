"use client";
// Sign-in with Telegram in the browser, both ways (docs/telegram.md §5):
//
// (a) Bot deep link (phones first): POST /api/auth/telegram/bot-login → t.me/<bot>?start=login_<token>
//     shown as a button and a QR code; the status is polled every 2 s (at once when the tab becomes
//     visible again, e.g. back from the Telegram app); once "confirmed", signIn("telegram-bot",
//     { token }) creates the session and the page moves on to the callbackUrl by itself.
// (b) Telegram Login Widget (computers): Telegram's script is loaded only when asked for, with
//     data-onauth calling the global window.aqstreamTelegramAuth(user) → signIn("telegram-widget",
//     user). The callback is a named global so an end-to-end test can call it with a signed payload.
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useLocale, useT } from "@/lib/i18n/client";
import { TelegramDeepLink } from "./deep-link";
import { TelegramIcon, telegramButtonClasses } from "./telegram-icon";

export const TELEGRAM_WIDGET_CALLBACK = "aqstreamTelegramAuth";
const WIDGET_SCRIPT = "https://telegram.org/js/telegram-widget.js?22";
const POLL_MS = 2000;
const WIDGET_TIMEOUT_MS = 15_000;

/** What the Login Widget hands to data-onauth. */
export type TelegramWidgetUser = {
  id: number | string;
  first_name?: string;
  last_name?: string;
  username?: string;
  photo_url?: string;
  auth_date: number | string;
  hash: string;
};

declare global {
  interface Window {
    aqstreamTelegramAuth?: (user: TelegramWidgetUser) => void;
  }
}

type BotStatus = "pending" | "confirmed" | "expired" | "used";

type Phase =
  | { name: "idle" }
  | { name: "starting" }
  | { name: "waiting"; token: string; url: string; expiresAt: number }
  | { name: "signingIn" }
  | { name: "done" };

type Notice = { variant: "error" | "info"; text: string } | null;

type WidgetState = "hidden" | "loading" | "ready" | "unavailable";

export function TelegramLoginPanel({
  botUsername,
  callbackUrl,
  mode = "login",
}: {
  botUsername: string | null;
  callbackUrl: string;
  mode?: "login" | "register";
}) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [notice, setNotice] = useState<Notice>(null);
  const [offline, setOffline] = useState(false);
  /** The previous attempt ended (expired, used, failed): the button offers to start again. */
  const [retry, setRetry] = useState(false);
  const [widget, setWidget] = useState<WidgetState>("hidden");
  const widgetBox = useRef<HTMLDivElement>(null);
  const busy = phase.name === "signingIn" || phase.name === "done";

  const finish = useCallback(() => {
    setPhase({ name: "done" });
    // A soft navigation: the app moves on by itself, the page is not reloaded; refresh() re-renders
    // the server parts (header) with the new session.
    router.replace(callbackUrl);
    router.refresh();
  }, [callbackUrl, router]);

  // ── (a) bot deep link ──

  const start = async () => {
    setNotice(null);
    setOffline(false);
    setPhase({ name: "starting" });
    try {
      const response = await fetch("/api/auth/telegram/bot-login", { method: "POST", cache: "no-store" });
      const data = (await response.json().catch(() => null)) as { ok?: boolean; token?: string; url?: string; expiresAt?: string; messageKey?: string } | null;
      if (!response.ok || !data?.ok || !data.token || !data.url || !data.expiresAt) {
        setPhase({ name: "idle" });
        setNotice({ variant: "error", text: data?.messageKey ? t.dynamic(data.messageKey) : t("telegram.login.startFailed") });
        return;
      }
      setPhase({ name: "waiting", token: data.token, url: data.url, expiresAt: Date.parse(data.expiresAt) });
    } catch {
      setPhase({ name: "idle" });
      setNotice({ variant: "error", text: t("telegram.login.startFailed") });
    }
  };

  const completeBotLogin = useCallback(
    async (token: string) => {
      setPhase({ name: "signingIn" });
      const result = await signIn("telegram-bot", { token, redirect: false, redirectTo: callbackUrl }).catch(() => null);
      if (!result || result.error || !result.ok) {
        setPhase({ name: "idle" });
        setRetry(true);
        setNotice({ variant: "error", text: t("telegram.login.failed") });
        return;
      }
      finish();
    },
    [callbackUrl, finish, t],
  );

  const waitingToken = phase.name === "waiting" ? phase.token : null;
  const waitingUntil = phase.name === "waiting" ? phase.expiresAt : null;

  useEffect(() => {
    if (!waitingToken || waitingUntil === null) return;
    let stopped = false;
    let inFlight = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();

    const end = (text: string) => {
      stopped = true;
      setPhase({ name: "idle" });
      setRetry(true);
      setNotice({ variant: "info", text });
    };

    const poll = async () => {
      if (stopped || inFlight) return;
      clearTimeout(timer);
      if (Date.now() >= waitingUntil) return end(t("telegram.login.expired"));
      inFlight = true;
      let delay = POLL_MS;
      try {
        const response = await fetch(`/api/auth/telegram/bot-login?token=${encodeURIComponent(waitingToken)}`, {
          cache: "no-store",
          signal: controller.signal,
        });
        if (response.status === 429) {
          delay = Math.max(POLL_MS, (Number(response.headers.get("retry-after")) || 10) * 1000);
        } else if (!response.ok) {
          setOffline(true);
        } else {
          setOffline(false);
          const data = (await response.json()) as { status?: BotStatus };
          if (data.status === "confirmed") {
            stopped = true;
            void completeBotLogin(waitingToken);
            return;
          }
          if (data.status === "expired") return end(t("telegram.login.expired"));
          if (data.status === "used") return end(t("telegram.login.used"));
        }
      } catch {
        if (stopped) return;
        setOffline(true);
      } finally {
        inFlight = false;
      }
      if (!stopped) timer = setTimeout(poll, delay);
    };

    timer = setTimeout(poll, POLL_MS);
    // Back from the Telegram app: ask at once instead of waiting for the next tick.
    const onVisible = () => {
      if (document.visibilityState === "visible") void poll();
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("focus", onVisible);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("focus", onVisible);
    };
  }, [waitingToken, waitingUntil, completeBotLogin, t]);

  // ── (b) Login Widget ──

  useEffect(() => {
    window[TELEGRAM_WIDGET_CALLBACK] = (user: TelegramWidgetUser) => {
      void (async () => {
        setNotice(null);
        setPhase({ name: "signingIn" });
        // Only the widget's own fields; empty ones are left out (they are not part of the signature).
        const credentials: Record<string, string> = {};
        for (const key of ["id", "first_name", "last_name", "username", "photo_url", "auth_date", "hash"] as const) {
          const value = user?.[key];
          if (value !== undefined && value !== null && value !== "") credentials[key] = String(value);
        }
        const result = await signIn("telegram-widget", { ...credentials, redirect: false, redirectTo: callbackUrl }).catch(() => null);
        if (!result || result.error || !result.ok) {
          setPhase({ name: "idle" });
          setNotice({ variant: "error", text: t("telegram.login.widgetFailed") });
          return;
        }
        finish();
      })();
    };
    return () => {
      delete window[TELEGRAM_WIDGET_CALLBACK];
    };
  }, [callbackUrl, finish, t]);

  useEffect(() => {
    if (widget !== "loading" || !botUsername || !widgetBox.current) return;
    const box = widgetBox.current;
    const script = document.createElement("script");
    script.src = WIDGET_SCRIPT;
    script.async = true;
    script.setAttribute("data-telegram-login", botUsername);
    script.setAttribute("data-size", "large");
    script.setAttribute("data-radius", "12");
    script.setAttribute("data-userpic", "false");
    script.setAttribute("data-lang", locale);
    // "write": the bot may message the user — Telegram is the only notification channel.
    script.setAttribute("data-request-access", "write");
    script.setAttribute("data-onauth", `${TELEGRAM_WIDGET_CALLBACK}(user)`);
    const timeout = setTimeout(() => setWidget((w) => (w === "loading" ? "unavailable" : w)), WIDGET_TIMEOUT_MS);
    script.onload = () => {
      clearTimeout(timeout);
      setWidget("ready");
    };
    script.onerror = () => {
      clearTimeout(timeout);
      script.remove();
      setWidget("unavailable");
    };
    box.appendChild(script);
    return () => {
      clearTimeout(timeout);
      script.onload = null;
      script.onerror = null;
    };
  }, [widget, botUsername, locale]);

  // ── view ──

  const title = mode === "register" ? t("telegram.login.registerTitle") : t("telegram.login.title");
  return (
    <section aria-labelledby="telegram-login-title" className="flex flex-col gap-3" data-testid="telegram-login">
      <h2 id="telegram-login-title" className="sr-only">
        {title}
      </h2>

      {notice && (
        <div data-testid="telegram-login-notice">
          <Alert variant={notice.variant}>{notice.text}</Alert>
        </div>
      )}

      {phase.name === "waiting" ? (
        <div className="flex flex-col gap-3 rounded-2xl border border-sky-200 bg-sky-50/60 p-4" data-testid="telegram-login-waiting">
          <div role="status" aria-live="polite" className="flex flex-col gap-1">
            <p className="flex items-center gap-2 font-semibold text-slate-900">
              <span className="size-2.5 shrink-0 animate-pulse rounded-full bg-[#0a7cbf]" aria-hidden="true" />
              {t("telegram.login.waitingTitle")}
            </p>
            <p className="text-sm text-slate-700">{t("telegram.login.waitingSteps")}</p>
            {offline && <p className="text-sm font-medium text-amber-800">{t("telegram.login.offline")}</p>}
          </div>
          <TelegramDeepLink
            url={phase.url}
            expiresAt={phase.expiresAt}
            openLabel={t("telegram.login.openTelegram")}
            linkLabel={t("telegram.login.linkLabel")}
            qrTitle={t("telegram.login.qrTitle")}
            qrHint={t("telegram.login.qrHint")}
            expiresInText={(time) => t("telegram.login.expiresIn", { time })}
            testId="telegram-login"
          />
          <Button variant="ghost" onClick={() => setPhase({ name: "idle" })} className="self-center">
            {t("telegram.login.cancel")}
          </Button>
        </div>
      ) : busy ? (
        <div role="status" aria-live="polite" className="flex min-h-12 items-center justify-center gap-2 rounded-xl bg-sky-50 px-4 text-sm font-medium text-slate-800" data-testid="telegram-login-busy">
          <TelegramIcon className="text-[#0a7cbf]" />
          {phase.name === "done" ? t("telegram.login.confirmed") : t("telegram.login.signingIn")}
        </div>
      ) : (
        <>
          <p className="text-center text-sm text-slate-600">{mode === "register" ? t("telegram.login.registerIntro") : t("telegram.login.intro")}</p>
          <button
            type="button"
            className={telegramButtonClasses}
            onClick={() => void start()}
            disabled={phase.name === "starting"}
            aria-busy={phase.name === "starting" || undefined}
            data-testid="telegram-login-start"
          >
            <TelegramIcon />
            {phase.name === "starting" ? t("telegram.login.starting") : retry ? t("telegram.login.tryAgain") : title}
          </button>
        </>
      )}

      {botUsername && (
        // Kept mounted (hidden while the bot link is shown) so a loaded widget is not lost.
        <div className={cn("flex-col items-center gap-2", busy || phase.name === "waiting" ? "hidden" : "flex")}>
          {widget === "hidden" ? (
            <Button variant="ghost" size="sm" onClick={() => setWidget("loading")} data-testid="telegram-widget-show">
              {t("telegram.login.widgetShow")}
            </Button>
          ) : (
            <p className="text-center text-xs text-slate-500" role="status" aria-live="polite" data-testid="telegram-widget-status">
              {widget === "loading" ? t("telegram.login.widgetLoading") : widget === "unavailable" ? t("telegram.login.widgetUnavailable") : t("telegram.login.widgetHint")}
            </p>
          )}
          {/* Telegram's script replaces itself with the widget's iframe here. */}
          <div ref={widgetBox} className="flex min-h-0 justify-center empty:hidden" data-testid="telegram-widget" />
        </div>
      )}
    </section>
  );
}
