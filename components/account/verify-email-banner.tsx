// The dashboard's "confirm your email" banner for users whose email is not verified yet (Telegram-only
// users and verified users see nothing). A Server Component: mount it once in the dashboard layout,
// above the page content.
import { getVerificationStatus } from "@/lib/identity/verification";
import { getCurrentUser } from "@/lib/identity/session";
import { getT } from "@/lib/i18n/server";
import { ResendVerificationButton } from "./resend-verification-button";

export async function VerifyEmailBanner() {
  const user = await getCurrentUser();
  if (!user) return null;
  const status = await getVerificationStatus({ userId: user.id });
  if (!status?.needsEmailVerification) return null;
  const t = await getT();
  return (
    <section
      aria-labelledby="verify-email-banner-title"
      className="mb-4 flex flex-col gap-3 rounded-2xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900 sm:mb-6"
      data-testid="verify-email-banner"
    >
      <div className="flex flex-col gap-1">
        <h2 id="verify-email-banner-title" className="text-base font-semibold">
          {t("account.banner.title")}
        </h2>
        <p className="break-words">{t("account.banner.text", { email: status.email ?? "" })}</p>
      </div>
      <ResendVerificationButton />
    </section>
  );
}
