import type { Metadata } from "next";
import { ResendVerificationButton } from "@/components/account/resend-verification-button";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { getCurrentUser } from "@/lib/identity/session";
import { getVerificationStatus, verifyEmail } from "@/lib/identity/verification";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("account.verify.title"), robots: { index: false } };
}

const ACCOUNT_PATH = "/dashboard/account";

/** Opening the mailed link verifies the email (once); a dead link offers a new one or sign-in. */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token: raw } = await searchParams;
  const token = Array.isArray(raw) ? raw[0] : raw;
  const [result, user, t] = await Promise.all([verifyEmail({ token }), getCurrentUser(), getT()]);

  if (result.status === "verified" || (result.status === "used" && result.emailVerified)) {
    const fresh = result.status === "verified";
    return (
      <Card data-testid="verify-email-result" data-status={fresh ? "verified" : "already-verified"}>
        <CardHeader as="h1" title={t(fresh ? "account.verify.verifiedTitle" : "account.verify.alreadyTitle")} />
        <Alert variant="success">{t(fresh ? "account.verify.verifiedText" : "account.verify.alreadyText")}</Alert>
        <div className="mt-6">
          {user ? (
            <LinkButton href={ACCOUNT_PATH} size="lg" fullWidth>
              {t("account.verify.toAccount")}
            </LinkButton>
          ) : (
            <LinkButton href={signInUrlFor(ACCOUNT_PATH)} size="lg" fullWidth>
              {t("account.verify.toLogin")}
            </LinkButton>
          )}
        </div>
      </Card>
    );
  }

  const invalid = result.status === "invalid";
  const status = user ? await getVerificationStatus({ userId: user.id }) : null;
  return (
    <Card data-testid="verify-email-result" data-status={result.status}>
      <CardHeader
        as="h1"
        title={t(invalid ? "account.verify.invalidTitle" : "account.verify.failedTitle")}
        description={t(invalid ? "account.verify.invalidText" : "account.verify.failedText")}
      />
      {status?.needsEmailVerification ? (
        <div className="flex flex-col gap-3">
          <p className="break-words text-sm text-slate-600">{t("account.verify.resendHintSignedIn", { email: status.email ?? "" })}</p>
          <ResendVerificationButton variant="primary" />
        </div>
      ) : user ? (
        <LinkButton href={ACCOUNT_PATH} size="lg" fullWidth>
          {t("account.verify.toAccount")}
        </LinkButton>
      ) : (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">{t("account.verify.resendHintSignedOut")}</p>
          <LinkButton href={signInUrlFor(ACCOUNT_PATH)} size="lg" fullWidth>
            {t("account.verify.toLogin")}
          </LinkButton>
        </div>
      )}
    </Card>
  );
}
