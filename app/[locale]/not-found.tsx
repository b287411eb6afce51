"use client";
import { LinkButton } from "@/components/ui/link-button";
import { useT } from "@/lib/i18n/client";

// A client component: it takes the locale from the root layout's provider and reads no cookie, so a
// 404 from a statically rendered public page stays static.
export default function NotFound() {
  const t = useT();
  return (
    <main id="main" className="mx-auto flex w-full max-w-md flex-1 flex-col items-center justify-center gap-4 px-4 py-16 text-center">
      <p className="text-5xl font-bold text-brand-600" aria-hidden="true">
        404
      </p>
      <h1 className="text-2xl font-bold text-slate-900">{t("notFound.title")}</h1>
      <p className="text-slate-600">{t("notFound.text")}</p>
      <LinkButton href="/" size="lg">
        {t("common.backHome")}
      </LinkButton>
    </main>
  );
}
