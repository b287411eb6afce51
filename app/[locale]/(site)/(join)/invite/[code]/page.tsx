// /invite/<code>: an organization invite. Shows the organization and the role; signed-out visitors sign
// in (and come back here through callbackUrl) or create an account right on this page; a used, expired
// or revoked invite says so and what to do next.
import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/members/action-button";
import { formatDate } from "@/components/members/format";
import { SignUpContinueForm } from "@/components/members/sign-up-continue-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { getCurrentUser } from "@/lib/identity/session";
import { getLocale, getT } from "@/lib/i18n/server";
import { previewOrganizationInvite } from "@/lib/organizations/invites";
import { actorOf } from "@/lib/permissions";
import { acceptInviteAction, signUpAndAcceptInviteAction } from "@/lib/organizations/actions/invite";

type Props = {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  // The code is a credential: never part of the title, and the page is not indexed.
  return { title: (await getT())("members.accept.metaTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function InvitePage({ params, searchParams }: Props) {
  const [{ code }, query] = await Promise.all([params, searchParams]);
  const user = await getCurrentUser();
  const [t, locale, preview] = await Promise.all([getT(), getLocale(), previewOrganizationInvite({ code, actor: actorOf(user) })]);
  const organization = preview.organizationName ?? "";
  const path = `/invite/${encodeURIComponent(code)}`;

  if (preview.viewerIsMember && preview.organizationSlug) {
    return (
      <Card data-testid="invite-already-member">
        <CardHeader as="h1" title={t("members.accept.alreadyMemberTitle")} description={t("members.accept.alreadyMemberText", { organization })} />
        <LinkButton href={`/dashboard/o/${encodeURIComponent(preview.organizationSlug)}`} size="lg" fullWidth>
          {t("members.accept.openOrganization")}
        </LinkButton>
      </Card>
    );
  }

  if (preview.status !== "valid") {
    const state = {
      invalid: ["members.accept.invalidTitle", "members.accept.invalidText"],
      expired: ["members.accept.expiredTitle", "members.accept.expiredText"],
      used: ["members.accept.usedTitle", "members.accept.usedText"],
      revoked: ["members.accept.revokedTitle", "members.accept.revokedText"],
    } as const;
    const [title, text] = state[preview.status];
    return (
      <Card data-testid={`invite-${preview.status}`}>
        <CardHeader as="h1" title={t(title)} />
        <Alert variant="info">{t(text, { organization })}</Alert>
        <div className="mt-6 flex flex-col gap-3">
          {user ? (
            <LinkButton href="/dashboard" variant="secondary" size="lg" fullWidth>
              {t("members.accept.toDashboard")}
            </LinkButton>
          ) : (
            <>
              {preview.status === "used" && (
                // The person who used it may simply be signed out: signed in, they see "already on the team".
                <LinkButton href={signInUrlFor(path)} size="lg" fullWidth>
                  {t("members.accept.signInToCheck")}
                </LinkButton>
              )}
              <LinkButton href="/" variant="secondary" size="lg" fullWidth>
                {t("common.backHome")}
              </LinkButton>
            </>
          )}
        </div>
      </Card>
    );
  }

  const role = preview.role === "OWNER" ? t("members.roleOwner") : t("members.roleModerator");
  const summary = (
    <div className="flex flex-col gap-3">
      <p className="text-slate-700">{t("members.accept.text", { organization, role })}</p>
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-500">
        <Badge tone="brand">{role}</Badge>
        {preview.expiresAt && <span>{t("members.accept.expires", { date: formatDate(locale, preview.expiresAt) })}</span>}
      </p>
    </div>
  );

  if (user) {
    return (
      <Card data-testid="invite-valid">
        <CardHeader as="h1" title={t("members.accept.title", { organization })} />
        {summary}
        <p className="mt-4 text-sm text-slate-600">{t("members.accept.signedInAs", { name: user.name })}</p>
        <div className="mt-6">
          <ActionButton action={acceptInviteAction.bind(null, code)} label={t("members.accept.accept")} testId="accept-invite" />
        </div>
      </Card>
    );
  }

  const step = Array.isArray(query.step) ? query.step[0] : query.step;
  if (step === "sign-up") {
    return (
      <Card data-testid="invite-sign-up">
        <CardHeader as="h1" title={t("members.accept.signUpTitle")} description={t("members.accept.signUpText", { organization })} />
        <SignUpContinueForm action={signUpAndAcceptInviteAction.bind(null, code)} submitLabel={t("members.accept.signUpSubmit")} />
        <p className="mt-6 text-center text-sm text-slate-600">
          {t("auth.haveAccount")}{" "}
          <Link href={signInUrlFor(path)} className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline-offset-4 hover:underline">
            {t("auth.toLogin")}
          </Link>
        </p>
      </Card>
    );
  }

  return (
    <Card data-testid="invite-valid">
      <CardHeader as="h1" title={t("members.accept.title", { organization })} />
      {summary}
      <div className="mt-6 flex flex-col gap-3">
        <h2 className="font-semibold text-slate-900">{t("members.accept.signInTitle")}</h2>
        <p className="text-sm text-slate-600">{t("members.accept.signInText")}</p>
        <LinkButton href={signInUrlFor(path)} size="lg" fullWidth data-testid="invite-sign-in">
          {t("members.accept.signIn")}
        </LinkButton>
        <LinkButton href={`${path}?step=sign-up`} variant="secondary" size="lg" fullWidth data-testid="invite-sign-up-link">
          {t("members.accept.signUp")}
        </LinkButton>
      </div>
    </Card>
  );
}
