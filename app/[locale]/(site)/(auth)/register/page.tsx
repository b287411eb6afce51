import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { RegisterForm } from "@/components/auth/register-form";
import { TelegramLogin } from "@/components/auth/telegram-login";
import { Card, CardHeader } from "@/components/ui/card";
import { safeCallbackUrl } from "@/lib/identity/callback-url";
import { AFTER_SIGN_IN_PATH } from "@/lib/identity/constants";
import { getCurrentUser } from "@/lib/identity/session";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("auth.registerTitle") };
}

export default async function RegisterPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl: raw } = await searchParams;
  const callbackUrl = safeCallbackUrl(Array.isArray(raw) ? raw[0] : raw);
  if (await getCurrentUser()) redirect(callbackUrl);
  const t = await getT();
  return (
    <Card>
      <CardHeader as="h1" title={t("auth.registerTitle")} description={t("auth.registerSubtitle")} />
      <RegisterForm callbackUrl={callbackUrl} />
      <TelegramLogin callbackUrl={callbackUrl} mode="register" />
      <p className="mt-6 text-center text-sm text-slate-600">
        {t("auth.haveAccount")}{" "}
        <Link href={callbackUrl === AFTER_SIGN_IN_PATH ? "/login" : `/login?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline-offset-4 hover:underline">
          {t("auth.toLogin")}
        </Link>
      </p>
    </Card>
  );
}
