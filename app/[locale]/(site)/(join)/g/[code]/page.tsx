// /g/<code>: a group's join link. Anyone signed in joins with one tap (no organization membership
// needed); signed-out visitors sign in (and come back here through callbackUrl) or create an account
// right on this page. The code is case-insensitive.
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { ActionButton } from "@/components/members/action-button";
import { SignUpContinueForm } from "@/components/members/sign-up-continue-form";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { previewGroupByCode } from "@/lib/groups";
import { clientIp } from "@/lib/http/client-address";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { getCurrentUser } from "@/lib/identity/session";
import { getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";
import { joinGroupFromLinkAction, signUpAndJoinGroupAction } from "@/lib/groups/actions/join";

type Props = {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("groups.join.metaTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function GroupJoinPage({ params, searchParams }: Props) {
  const [{ code }, query] = await Promise.all([params, searchParams]);
  const user = await getCurrentUser();
  const ip = clientIp(await headers());
  const [t, preview] = await Promise.all([getT(), previewGroupByCode({ code: decodeURIComponentSafe(code), actor: actorOf(user), ip })]);

  if (preview.status === "limited") {
    return (
      <Card data-testid="group-limited">
        <CardHeader as="h1" title={t("groups.join.limitedTitle")} />
        <Alert variant="info">{t("groups.errors.codeAttemptsLimited")}</Alert>
        <div className="mt-6">
          <LinkButton href="/" variant="secondary" size="lg" fullWidth>
            {t("common.backHome")}
          </LinkButton>
        </div>
      </Card>
    );
  }

  if (preview.status === "invalid") {
    return (
      <Card data-testid="group-invalid">
        <CardHeader as="h1" title={t("groups.join.invalidTitle")} />
        <Alert variant="info">{t("groups.join.invalidText")}</Alert>
        <div className="mt-6 flex flex-col gap-3">
          <LinkButton href="/dashboard/groups" size="lg" fullWidth>
            {t("groups.join.enterCode")}
          </LinkButton>
          <LinkButton href="/" variant="secondary" size="lg" fullWidth>
            {t("common.backHome")}
          </LinkButton>
        </div>
      </Card>
    );
  }

  const path = `/g/${preview.code}`;
  const summary = (
    <div className="flex flex-col gap-2">
      <p className="font-medium text-slate-800">{t("groups.join.organization", { organization: preview.organizationName })}</p>
      {preview.description && <p className="break-words whitespace-pre-line text-slate-700">{preview.description}</p>}
      <p className="text-sm text-slate-500">{t("groups.memberCount", { count: preview.memberCount })}</p>
      <p className="text-sm text-slate-600">{t("groups.join.text")}</p>
    </div>
  );
  const title = t("groups.join.title", { name: preview.name });

  if (user && preview.isMember) {
    return (
      <Card data-testid="group-already-member">
        <CardHeader as="h1" title={t("groups.join.alreadyMemberTitle")} description={title} />
        {summary}
        <div className="mt-6">
          <LinkButton href="/dashboard/groups" size="lg" fullWidth>
            {t("groups.join.toMyGroups")}
          </LinkButton>
        </div>
      </Card>
    );
  }

  if (user) {
    return (
      <Card data-testid="group-join">
        <CardHeader as="h1" title={title} />
        {summary}
        <p className="mt-4 text-sm text-slate-600">{t("groups.join.signedInAs", { name: user.name })}</p>
        <div className="mt-6">
          <ActionButton action={joinGroupFromLinkAction.bind(null, preview.code)} label={t("groups.join.join")} testId="join-group-link" />
        </div>
      </Card>
    );
  }

  const step = Array.isArray(query.step) ? query.step[0] : query.step;
  if (step === "sign-up") {
    return (
      <Card data-testid="group-sign-up">
        <CardHeader as="h1" title={t("groups.join.signUpTitle")} description={t("groups.join.signUpText", { name: preview.name })} />
        <SignUpContinueForm action={signUpAndJoinGroupAction.bind(null, preview.code)} submitLabel={t("groups.join.signUpSubmit")} />
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
    <Card data-testid="group-join">
      <CardHeader as="h1" title={title} />
      {summary}
      <div className="mt-6 flex flex-col gap-3">
        <h2 className="font-semibold text-slate-900">{t("groups.join.signInTitle")}</h2>
        <p className="text-sm text-slate-600">{t("groups.join.signInText")}</p>
        <LinkButton href={signInUrlFor(path)} size="lg" fullWidth data-testid="group-sign-in">
          {t("groups.join.signIn")}
        </LinkButton>
        <LinkButton href={`${path}?step=sign-up`} variant="secondary" size="lg" fullWidth data-testid="group-sign-up-link">
          {t("groups.join.signUp")}
        </LinkButton>
      </div>
    </Card>
  );
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
