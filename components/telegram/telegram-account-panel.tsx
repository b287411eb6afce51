"use client";
// The signed-in user's Telegram link (/dashboard/account/telegram): shows the linked account or links
// one — POST /api/auth/telegram/link gives a t.me/<bot>?start=link_<token> deep link (15 minutes,
// earlier ones stop working) shown as a button and QR code; the page polls until the bot has used it
// and then shows the account. Unlinking (DELETE) is refused by the service while Telegram is the only
// way to sign in; its message is shown.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { telegramAccountStatusAction } from "@/lib/identity/actions/telegram";
import type { TelegramAccountView } from "@/lib/identity/telegram-account";
import { ResendVerificationButton } from "@/components/account/resend-verification-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useT } from "@/lib/i18n/client";
import { TelegramDeepLink } from "./deep-link";
import { TelegramIcon, telegramButtonClasses } from "./telegram-icon";

const POLL_MS = 2000;

type Notice = { variant: "success" | "info" | "error"; text: string } | null;
type OpenLink = { url: string; expiresAt: number };

export function TelegramAccountPanel({
  initial,
  configured,
  botUrl,
}: {
  initial: TelegramAccountView;
  configured: boolean;
  botUrl: string | null;
}) {
  const t = useT();
  const router = useRouter();
  const [account, setAccount] = useState(initial);
  const [link, setLink] = useState<OpenLink | null>(null);
  const [expired, setExpired] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [creating, setCreating] = useState(false);
  const [confirmUnlink, setConfirmUnlink] = useState(false);
  const [unlinking, setUnlinking] = useState(false);

  const createLink = async () => {
    setNotice(null);
    setExpired(false);
    setCreating(true);
    try {
      const response = await fetch("/api/auth/telegram/link", { method: "POST", cache: "no-store" });
      const data = (await response.json().catch(() => null)) as { ok?: boolean; url?: string; expiresAt?: string; messageKey?: string } | null;
      if (!response.ok || !data?.ok || !data.url || !data.expiresAt) {
        setNotice({ variant: "error", text: data?.messageKey ? t.dynamic(data.messageKey) : t("telegram.account.failed") });
        return;
      }
      setLink({ url: data.url, expiresAt: Date.parse(data.expiresAt) });
    } catch {
      setNotice({ variant: "error", text: t("telegram.account.failed") });
    } finally {
      setCreating(false);
    }
  };

  // While a link is open: ask every 2 s (and at once when the tab is visible again) whether the bot
  // has linked the account.
  useEffect(() => {
    if (!link) return;
    let stopped = false;
    let inFlight = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (stopped || inFlight) return;
      clearTimeout(timer);
      if (Date.now() >= link.expiresAt) {
        stopped = true;
        setLink(null);
        setExpired(true);
        return;
      }
      inFlight = true;
      try {
        const result = await telegramAccountStatusAction();
        if (!stopped && result.ok && result.account.linked) {
          stopped = true;
          setAccount(result.account);
          setLink(null);
          setNotice({ variant: "success", text: t("telegram.account.linkedNow") });
          router.refresh();
          return;
        }
      } catch {
        // A network hiccup: the next tick asks again.
      } finally {
        inFlight = false;
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible") void poll();
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("focus", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("focus", onVisible);
    };
  }, [link, router, t]);

  const unlink = async () => {
    setNotice(null);
    setUnlinking(true);
    try {
      const response = await fetch("/api/auth/telegram/link", { method: "DELETE", cache: "no-store" });
      const data = (await response.json().catch(() => null)) as { ok?: boolean; messageKey?: string } | null;
      if (!response.ok || !data?.ok) {
        setNotice({ variant: "error", text: data?.messageKey ? t.dynamic(data.messageKey) : t("telegram.account.failed") });
        return;
      }
      setAccount({ ...account, linked: false, telegramId: null, username: null, canReceive: false });
      setNotice({ variant: "success", text: t("telegram.account.unlinked") });
      router.refresh();
    } catch {
      setNotice({ variant: "error", text: t("telegram.account.failed") });
    } finally {
      setUnlinking(false);
      setConfirmUnlink(false);
    }
  };

  const errorNotice =
    notice?.variant === "error" ? (
      <div data-testid="telegram-account-notice">
        <Alert variant="error">{notice.text}</Alert>
      </div>
    ) : null;

  return (
    <div className="flex flex-col gap-4">
      {/* Results above the card; a refusal next to the button that caused it (below). */}
      {notice && notice.variant !== "error" && (
        <div data-testid="telegram-account-notice">
          <Alert variant={notice.variant}>{notice.text}</Alert>
        </div>
      )}
      {!configured && <Alert variant="info">{t("telegram.account.notConfigured")}</Alert>}

      <Card aria-labelledby="telegram-account-status" data-testid="telegram-account" data-linked={account.linked}>
        <div className="flex items-start gap-3">
          <span
            className={
              account.linked
                ? "flex size-11 shrink-0 items-center justify-center rounded-full bg-[#0a7cbf] text-white"
                : "flex size-11 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-400"
            }
            aria-hidden="true"
          >
            <TelegramIcon className="size-6" />
          </span>
          <div className="flex min-w-0 flex-1 flex-col gap-1">
            <h2 id="telegram-account-status" className="text-lg font-semibold text-slate-900">
              {account.linked ? t("telegram.account.linkedTitle") : t("telegram.account.notLinkedTitle")}
            </h2>
            {!account.linked && <p className="text-sm text-slate-600">{t("telegram.account.notLinkedText")}</p>}
          </div>
        </div>

        {account.linked && (
          <>
            <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-2">
              <div className="flex flex-col gap-0.5">
                <dt className="font-medium text-slate-800">{t("telegram.account.username")}</dt>
                <dd className="break-all text-slate-700" data-testid="telegram-username">
                  {account.username ? `@${account.username}` : <span className="text-slate-500">{t("telegram.account.noUsername")}</span>}
                </dd>
              </div>
              <div className="flex flex-col gap-0.5">
                <dt className="font-medium text-slate-800">{t("telegram.account.telegramId")}</dt>
                <dd className="font-mono text-slate-700" data-testid="telegram-id">
                  {account.telegramId}
                </dd>
              </div>
            </dl>
            {!account.canReceive && (
              <div className="mt-4">
                <Alert variant="info">
                  {t("telegram.account.chatMissing")}{" "}
                  {botUrl && (
                    <a href={botUrl} target="_blank" rel="noopener noreferrer" className="font-semibold underline underline-offset-2">
                      {t("telegram.account.openBot")}
                    </a>
                  )}
                </Alert>
              </div>
            )}
            <div className="mt-5 flex flex-col gap-3 border-t border-slate-100 pt-4">
              {!account.canUnlink && notice?.variant !== "error" && <p className="text-sm text-slate-600">{t("telegram.account.unlinkOnlyMethod")}</p>}
              {errorNotice}
              {confirmUnlink ? (
                <div className="flex flex-col gap-3 rounded-xl border border-red-200 bg-red-50 p-3" role="group" aria-labelledby="telegram-unlink-confirm">
                  <p id="telegram-unlink-confirm" className="text-sm text-red-900">
                    {t("telegram.account.unlinkConfirm")}
                  </p>
                  <div className="flex flex-col gap-2 sm:flex-row">
                    <Button variant="danger" pending={unlinking} onClick={() => void unlink()} data-testid="telegram-unlink-yes">
                      {t("telegram.account.unlinkYes")}
                    </Button>
                    <Button variant="secondary" onClick={() => setConfirmUnlink(false)} disabled={unlinking}>
                      {t("telegram.account.cancel")}
                    </Button>
                  </div>
                </div>
              ) : (
                <Button variant="secondary" className="self-start" onClick={() => setConfirmUnlink(true)} data-testid="telegram-unlink">
                  {t("telegram.account.unlink")}
                </Button>
              )}
            </div>
          </>
        )}

        {!account.linked && configured && !account.canLink && (
          // Linking needs a verified email (the service refuses otherwise): say why and offer the mail.
          <div className="mt-5 flex flex-col gap-3" data-testid="telegram-link-needs-email">
            <Alert variant="info" title={t("telegram.account.needsVerifiedEmailTitle")}>
              <span className="break-words">{t("telegram.account.needsVerifiedEmail", { email: account.email ?? "" })}</span>
            </Alert>
            <ResendVerificationButton />
          </div>
        )}

        {!account.linked && configured && account.canLink && (
          <div className="mt-5 flex flex-col gap-3">
            {link ? (
              <div className="flex flex-col gap-3 rounded-2xl border border-sky-200 bg-sky-50/60 p-4" data-testid="telegram-link-waiting">
                <div role="status" aria-live="polite" className="flex flex-col gap-1">
                  <p className="flex items-center gap-2 font-semibold text-slate-900">
                    <span className="size-2.5 shrink-0 animate-pulse rounded-full bg-[#0a7cbf]" aria-hidden="true" />
                    {t("telegram.account.waiting")}
                  </p>
                  <p className="text-sm text-slate-700">{t("telegram.account.linkSteps")}</p>
                </div>
                <TelegramDeepLink
                  url={link.url}
                  expiresAt={link.expiresAt}
                  openLabel={t("telegram.account.openBot")}
                  linkLabel={t("telegram.account.linkLabel")}
                  qrTitle={t("telegram.account.qrTitle")}
                  qrHint={t("telegram.login.qrHint")}
                  expiresInText={(time) => t("telegram.account.expiresIn", { time })}
                  testId="telegram-link"
                />
                <div className="flex flex-col gap-2 sm:flex-row sm:justify-center">
                  <Button variant="secondary" onClick={() => void createLink()} pending={creating}>
                    {t("telegram.account.newLink")}
                  </Button>
                  <Button variant="ghost" onClick={() => setLink(null)}>
                    {t("telegram.account.cancel")}
                  </Button>
                </div>
              </div>
            ) : (
              <>
                {errorNotice}
                {expired && <Alert variant="info">{t("telegram.account.linkExpired")}</Alert>}
                <button
                  type="button"
                  className={`${telegramButtonClasses} sm:w-auto sm:self-start`}
                  onClick={() => void createLink()}
                  disabled={creating}
                  aria-busy={creating || undefined}
                  data-testid="telegram-link-start"
                >
                  <TelegramIcon />
                  {creating ? t("telegram.account.linking") : expired ? t("telegram.account.newLink") : t("telegram.account.link")}
                </button>
              </>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
