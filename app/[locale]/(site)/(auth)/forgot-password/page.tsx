import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/account/forgot-password-form";
import { Card, CardHeader } from "@/components/ui/card";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("account.forgot.title") };
}

export default async function ForgotPasswordPage() {
  const t = await getT();
  return (
    <Card>
      <CardHeader as="h1" title={t("account.forgot.title")} description={t("account.forgot.subtitle")} />
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm text-slate-600">
        {t("account.forgot.remembered")}{" "}
        <Link href="/login" className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline-offset-4 hover:underline">
          {t("account.forgot.toLogin")}
        </Link>
      </p>
    </Card>
  );
}
