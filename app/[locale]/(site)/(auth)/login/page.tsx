import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { TelegramLogin } from "@/components/auth/telegram-login";
import { Card, CardHeader } from "@/components/ui/card";
import { safeCallbackUrl } from "@/lib/identity/callback-url";
import { AFTER_SIGN_IN_PATH } from "@/lib/identity/constants";
import { getCurrentUser } from "@/lib/identity/session";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("auth.loginTitle") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl: raw } = await searchParams;
  const callbackUrl = safeCallbackUrl(Array.isArray(raw) ? raw[0] : raw);
  if (await getCurrentUser()) redirect(callbackUrl);
  const t = await getT();
  return (
    <Card>
      <CardHeader as="h1" title={t("auth.loginTitle")} description={t("auth.loginSubtitle")} />
      <LoginForm callbackUrl={callbackUrl} />
      <TelegramLogin callbackUrl={callbackUrl} />
      <p className="mt-6 text-center text-sm text-slate-600">
        {t("auth.noAccount")}{" "}
        <Link href={callbackUrl === AFTER_SIGN_IN_PATH ? "/register" : `/register?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline-offset-4 hover:underline">
          {t("auth.toRegister")}
        </Link>
      </p>
    </Card>
  );
}
