import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { formatDate } from "@/lib/i18n/format";
import { getLocale, getT } from "@/lib/i18n/server";
import { listTemplates, type TemplateSummary } from "@/lib/notifications/templates-admin";
import { actorOf } from "@/lib/permissions";
import { templateDescriptionKey } from "@/lib/validation/templates";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("telegram.templates.title") };
}

export default async function TemplatesPage() {
  const user = await requirePageUser("/dashboard/admin/templates");
  let templates: TemplateSummary[];
  try {
    templates = await listTemplates({ actor: actorOf(user) });
  } catch (error) {
    // The admin area does not exist for anyone else.
    if (isAppError(error) && (error.code === "FORBIDDEN" || error.code === "NOT_FOUND")) notFound();
    throw error;
  }
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const dateFormat = { format: (date: Date) => formatDate(date, locale, "medium") };
  const describe = (code: string) => {
    const key = templateDescriptionKey(code);
    return t.has(key) ? t.dynamic(key) : t("telegram.templates.descriptions.custom");
  };

  return (
    <div className="flex flex-col gap-5">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("telegram.templates.title")}</h1>
        <p className="text-slate-600">{t("telegram.templates.intro")}</p>
      </header>

      {templates.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 p-6 text-center text-slate-700" data-testid="templates-empty">
          {t("telegram.templates.empty")}
        </p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="templates-list">
          {templates.map((template) => (
            <li key={template.id}>
              <Link
                href={`/dashboard/admin/templates/${encodeURIComponent(template.code)}`}
                className="flex min-h-11 flex-col gap-1.5 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-300 hover:bg-brand-50/40 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 sm:flex-row sm:items-center sm:justify-between sm:gap-4"
                data-testid={`template-${template.code}`}
              >
                <span className="flex min-w-0 flex-col gap-1">
                  <code className="break-all font-mono text-sm font-semibold text-slate-900">{template.code}</code>
                  <span className="text-sm text-slate-600">{describe(template.code)}</span>
                </span>
                <span className="flex shrink-0 flex-wrap items-center gap-2 text-xs text-slate-500">
                  <Badge tone={template.isSystem ? "neutral" : "brand"}>
                    {template.isSystem ? t("telegram.templates.system") : t("telegram.templates.custom")}
                  </Badge>
                  {template.customized && <Badge tone="success">{t("telegram.templates.customized")}</Badge>}
                  <span>
                    <span className="sr-only">{t("telegram.templates.updatedAt")}: </span>
                    <time dateTime={template.updatedAt.toISOString()}>{dateFormat.format(template.updatedAt)}</time>
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
