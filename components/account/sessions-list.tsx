import { Badge } from "@/components/ui/badge";
import type { SessionView } from "@/lib/identity/account";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import { relativeTime } from "@/lib/i18n/format/relative";
import { SignOutOthersButton } from "./sign-out-others-button";
import { describeUserAgent } from "./user-agent";

export function SessionsList({ sessions, locale, t }: { sessions: SessionView[]; locale: Locale; t: Translator }) {
  const now = new Date();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <div className="flex flex-col gap-4">
      <ul className="flex flex-col divide-y divide-slate-100" data-testid="sessions-list">
        {sessions.map((s) => {
          const device = describeUserAgent(s.userAgent);
          return (
            <li key={s.id} className="flex flex-col gap-1 py-3 first:pt-0" data-current={s.current || undefined}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-slate-900">
                  {device ? t("account.sessions.deviceOn", { browser: device.browser, os: device.os }) : t("account.sessions.unknownDevice")}
                </span>
                {s.current && <Badge tone="success">{t("account.sessions.current")}</Badge>}
              </div>
              <p className="text-sm text-slate-600">
                {t("account.sessions.lastSeen", { when: relativeTime(s.lastSeenAt, locale, now) })}
                {" · "}
                {t("account.sessions.signedIn", { when: relativeTime(s.createdAt, locale, now) })}
                {s.ip && (
                  <>
                    {" · "}
                    <span className="break-all">{t("account.sessions.ip", { ip: s.ip })}</span>
                  </>
                )}
              </p>
            </li>
          );
        })}
      </ul>
      {others === 0 && <p className="text-sm text-slate-500">{t("account.sessions.onlyThis")}</p>}
      <SignOutOthersButton disabled={others === 0} />
    </div>
  );
}
