import type { Metadata } from "next";
import { ResetPasswordForm } from "@/components/account/reset-password-form";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { getPasswordResetContext } from "@/lib/identity/password-reset";
import { getCurrentUser } from "@/lib/identity/session";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("account.reset.title"), robots: { index: false } };
}

/**
 * The form for a live link — with the account's linked sign-in methods (Telegram), which the reset can
 * remove; a used, expired or malformed link gets a page that offers a new one.
 */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token: raw } = await searchParams;
  const token = Array.isArray(raw) ? raw[0] : raw;
  const [context, user, t] = await Promise.all([getPasswordResetContext({ token }), getCurrentUser(), getT()]);
  const { state } = context;

  if (state === "valid" && token) {
    const telegram = context.linkedMethods?.telegram ?? null;
    return (
      <Card>
        <CardHeader as="h1" title={t("account.reset.title")} description={t("account.reset.subtitle")} />
        <ResetPasswordForm
          token={token}
          // Pre-ticked when the email had never been verified: whoever made the account may not own the mailbox.
          telegram={telegram ? { username: telegram.username, unlinkByDefault: context.emailWasVerified === false } : null}
        />
      </Card>
    );
  }
  const invalid = state === "invalid";
  return (
    <Card data-testid="reset-password-dead" data-status={state}>
      <CardHeader
        as="h1"
        title={t(invalid ? "account.reset.invalidTitle" : "account.reset.failedTitle")}
        description={t(invalid ? "account.reset.invalidText" : "account.reset.failedText")}
      />
      <div className="flex flex-col gap-3">
        <LinkButton href="/forgot-password" size="lg" fullWidth>
          {t("account.reset.requestNew")}
        </LinkButton>
        {!user && (
          <LinkButton href="/login" variant="ghost" fullWidth>
            {t("account.reset.toLogin")}
          </LinkButton>
        )}
      </div>
    </Card>
  );
}
