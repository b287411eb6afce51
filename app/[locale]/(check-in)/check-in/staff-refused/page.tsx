// /check-in/staff-refused?reason=invalid|revoked|expired|event_closed — where a door-staff link that no
// longer works lands (app/api/check-in/staff/[token]/route.ts redirects here). Says why and what to do.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LinkButton } from "@/components/ui/link-button";
import { isLocale } from "@/lib/i18n/config";
import { translatorFor } from "@/lib/i18n/catalogue";

type Props = {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const REASONS = ["invalid", "revoked", "expired", "event_closed"] as const;
type Reason = (typeof REASONS)[number];

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { locale } = await params;
  const t = translatorFor(isLocale(locale) ? locale : "ru");
  return { title: t("checkIn.server.refused.metaTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function StaffLinkRefusedPage({ params, searchParams }: Props) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  if (!isLocale(locale)) notFound();
  const t = translatorFor(locale);
  const raw = typeof query.reason === "string" ? query.reason : "invalid";
  const reason: Reason = (REASONS as readonly string[]).includes(raw) ? (raw as Reason) : "invalid";
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-4 px-6 py-10 text-center" data-testid="staff-link-refused">
      <p aria-hidden="true" className="flex size-16 items-center justify-center rounded-full bg-red-600 text-3xl font-bold text-white">
        ×
      </p>
      <h1 className="text-2xl font-bold">{t("checkIn.server.refused.title")}</h1>
      <p role="alert" className="max-w-sm text-slate-300" data-reason={reason}>
        {t(`checkIn.server.refused.${reason}`)}
      </p>
      <LinkButton href="/" size="lg" variant="secondary">
        {t("checkIn.server.refused.home")}
      </LinkButton>
    </div>
  );
}
