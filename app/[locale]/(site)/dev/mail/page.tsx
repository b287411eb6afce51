// The dev mailbox: the mail_outbox rows (mail that SMTP did not take: no SMTP_URL), newest first,
// with clickable links. A 404 in production unless DEV_MAILBOX=1 (the e2e server sets it).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { devMailboxEnabled, listOutbox } from "@/lib/mail";
import { linkify } from "@/lib/mail/render";
import { formatDate } from "@/lib/i18n/format";
import { getLocale, getT } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Dev mailbox", robots: { index: false, follow: false } };

export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  if (!devMailboxEnabled()) notFound();
  const { to: rawTo } = await searchParams;
  const to = Array.isArray(rawTo) ? rawTo[0] : rawTo;
  const [mails, t, locale] = await Promise.all([listOutbox({ to, limit: 100 }), getT(), getLocale()]);
  const dateFormat = { format: (date: Date) => formatDate(date, locale, "short", { timeZone: "UTC" }) };

  return (
    <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-4 px-4 py-6 sm:py-10">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-slate-900">{t("account.devMail.title")}</h1>
        <p className="text-sm text-slate-600">{t("account.devMail.description")}</p>
      </header>
      {mails.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-slate-600">{t("account.devMail.empty")}</p>
      ) : (
        <ol className="flex flex-col gap-4" data-testid="dev-mailbox">
          {mails.map((mail) => (
            <li key={mail.id}>
              <Card aria-labelledby={`mail-${mail.id}`} data-testid="dev-mail" data-to={mail.to}>
                <header className="mb-3 flex flex-col gap-0.5">
                  <h2 id={`mail-${mail.id}`} className="font-semibold text-slate-900">
                    {mail.subject}
                  </h2>
                  <p className="break-all text-sm text-slate-600">{t("account.devMail.to", { to: mail.to })}</p>
                  <p className="text-xs text-slate-500">
                    <time dateTime={mail.createdAt.toISOString()}>{dateFormat.format(mail.createdAt)} UTC</time>
                  </p>
                </header>
                <div className="whitespace-pre-wrap break-words text-sm text-slate-800">
                  {linkify(mail.text).map((part, i) =>
                    part.href ? (
                      <a key={i} href={part.href} className="break-all font-medium text-brand-700 underline underline-offset-2">
                        {part.text}
                      </a>
                    ) : (
                      <span key={i}>{part.text}</span>
                    ),
                  )}
                </div>
              </Card>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
