import type { Metadata } from "next";
import Link from "next/link";
import { Avatar } from "@/components/account/avatar";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { LocaleForm } from "@/components/account/locale-form";
import { NotificationPreferenceForm } from "@/components/account/notification-preference-form";
import { ProfileForm } from "@/components/account/profile-form";
import { ResendVerificationButton } from "@/components/account/resend-verification-button";
import { SessionsList } from "@/components/account/sessions-list";
import { MutedOrganizers } from "@/components/messages/muted-organizers";
import { SavedImageUpload } from "@/components/media/saved-image-upload";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { getAccount, listSessions } from "@/lib/identity/account";
import { requirePageUser } from "@/lib/identity/guards";
import { getNotificationPreference } from "@/lib/identity/notification-preference";
import { displayName } from "@/lib/identity/types";
import { getLocale, getT } from "@/lib/i18n/server";
import { getUserAvatar } from "@/lib/media/attach";
import { setAvatarAction } from "@/lib/identity/actions/account";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("account.page.title") };
}

export default async function AccountPage() {
  const user = await requirePageUser("/dashboard/account");
  const [account, sessions, t, uiLocale, avatar, notices] = await Promise.all([
    getAccount({ userId: user.id }),
    listSessions({ userId: user.id, currentSessionId: user.sessionId }),
    getT(),
    getLocale(),
    getUserAvatar({ userId: user.id }),
    getNotificationPreference({ userId: user.id }),
  ]);
  const name = displayName(account);

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("account.page.title")}</h1>
        <p className="text-slate-600">{t("account.page.subtitle")}</p>
      </header>

      <Card aria-labelledby="profile-title">
        <CardHeader id="profile-title" title={t("account.profile.title")} />
        <p className="mb-3 truncate text-lg font-semibold text-slate-900">{name}</p>
        {/* The profile photo saves at once (lib/media); without an upload, a Telegram photo or the initials. */}
        <div className="mb-5">
          <SavedImageUpload
            purpose="avatar"
            initial={avatar ? { id: avatar.id, url: avatar.url } : null}
            label={t("media.avatar.label")}
            previewAlt={t("account.profile.avatarAlt")}
            placeholder={<Avatar url={account.avatarUrl} name={name} alt={t("account.profile.avatarAlt")} size={96} />}
            action={setAvatarAction}
          />
        </div>
        <dl className="mb-5 flex flex-col gap-3 text-sm">
          <div className="flex flex-col gap-1">
            <dt className="font-medium text-slate-800">{t("account.profile.email")}</dt>
            <dd className="flex flex-wrap items-center gap-2 text-slate-700">
              {account.email ? (
                <>
                  <span className="break-all">{account.email}</span>
                  <Badge tone={account.emailVerified ? "success" : "neutral"} className="shrink-0">
                    <span data-testid="email-status" data-verified={account.emailVerified}>
                      {t(account.emailVerified ? "account.profile.verified" : "account.profile.unverified")}
                    </span>
                  </Badge>
                </>
              ) : (
                <span>{t("account.profile.noEmail")}</span>
              )}
            </dd>
            {account.email && !account.emailVerified && (
              <dd className="mt-1">
                <ResendVerificationButton />
              </dd>
            )}
          </div>
          {account.hasTelegram && (
            <div className="flex flex-col gap-1">
              <dt className="font-medium text-slate-800">{t("account.profile.telegram")}</dt>
              <dd className="flex flex-wrap items-center gap-2 text-slate-700">
                {account.telegramUsername && <span>@{account.telegramUsername}</span>}
                <Badge tone="success">{t("account.profile.telegramLinked")}</Badge>
              </dd>
            </div>
          )}
        </dl>
        <ProfileForm firstName={account.firstName} lastName={account.lastName} />
      </Card>

      <Card aria-labelledby="language-title">
        <CardHeader id="language-title" title={t("account.language.title")} description={t("account.language.description")} />
        <LocaleForm locale={account.locale} />
      </Card>

      <Card aria-labelledby="notifications-title">
        <CardHeader id="notifications-title" title={t("notificationPrefs.title")} description={t("notificationPrefs.description")} />
        <NotificationPreferenceForm
          preference={notices.preference}
          email={notices.email}
          hasTelegram={notices.hasTelegram}
          bounced={notices.emailBouncedAt !== null}
        />
      </Card>

      <Card aria-labelledby="password-title">
        <CardHeader
          id="password-title"
          title={t("account.password.title")}
          description={account.hasPassword ? t("account.password.description") : undefined}
        />
        {account.hasPassword ? (
          <ChangePasswordForm email={account.email} />
        ) : (
          <p className="text-sm text-slate-600" data-testid="no-password-note">
            {t("account.password.noPassword")}
          </p>
        )}
      </Card>

      <Card aria-labelledby="sessions-title">
        <CardHeader id="sessions-title" title={t("account.sessions.title")} description={t("account.sessions.description")} />
        <SessionsList sessions={sessions} locale={uiLocale} t={t} />
      </Card>

      <MutedOrganizers user={user} />
      <Card aria-labelledby="api-tokens-title">
        <CardHeader id="api-tokens-title" title={t("apiTokens.personal.accountLink")} description={t("apiTokens.personal.accountLinkHint")} />
        <Link href="/dashboard/account/api-tokens" className="text-sm font-medium text-brand-700 hover:underline" data-testid="account-api-tokens-link">
          {t("apiTokens.personal.accountLink")} →
        </Link>
      </Card>
      <Card aria-labelledby="delete-title" className="border-red-200">
        <CardHeader id="delete-title" title={t("account.deletion.title")} description={t("account.deletion.description")} />
        <p className="mb-4 text-sm text-slate-600">{t("account.deletion.ownerNote")}</p>
        <DeleteAccountForm email={account.email} />
      </Card>
    </div>
  );
}
