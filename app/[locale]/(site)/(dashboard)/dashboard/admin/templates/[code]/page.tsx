import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TemplateEditor } from "@/components/notifications/template-editor";
import { Badge } from "@/components/ui/badge";
import { isAppError } from "@/lib/errors";
import { requirePageUser } from "@/lib/identity/guards";
import { getLocale, getT } from "@/lib/i18n/server";
import { getTemplate, type TemplateDetail } from "@/lib/notifications/templates-admin";
import { actorOf } from "@/lib/permissions";
import { templateDescriptionKey } from "@/lib/validation/templates";

type Params = { params: Promise<{ code: string }> };

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { code } = await params;
  return { title: (await getT())("telegram.templates.editTitle", { code: decode(code) }) };
}

export default async function TemplateEditPage({ params }: Params) {
  const code = decode((await params).code);
  const user = await requirePageUser(`/dashboard/admin/templates/${encodeURIComponent(code)}`);
  let template: TemplateDetail;
  try {
    template = await getTemplate({ actor: actorOf(user), code });
  } catch (error) {
    if (isAppError(error) && (error.code === "FORBIDDEN" || error.code === "NOT_FOUND")) notFound();
    throw error;
  }
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const descriptionKey = templateDescriptionKey(template.code);
  const description = t.has(descriptionKey) ? t.dynamic(descriptionKey) : t("telegram.templates.descriptions.custom");

  return (
    <div className="flex flex-col gap-5">
      <nav>
        <Link
          href="/dashboard/admin/templates"
          className="inline-flex min-h-11 items-center gap-1 text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
        >
          <span aria-hidden="true">←</span> {t("telegram.templates.back")}
        </Link>
      </nav>
      <header className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="break-all font-mono text-xl font-bold text-slate-900 sm:text-2xl">{template.code}</h1>
          <Badge tone={template.isSystem ? "neutral" : "brand"}>
            {template.isSystem ? t("telegram.templates.system") : t("telegram.templates.custom")}
          </Badge>
        </div>
        <p className="text-slate-600">{description}</p>
      </header>
      <TemplateEditor
        code={template.code}
        isSystem={template.isSystem}
        photo={template.photo}
        variables={template.variables.map((v) => ({ name: v.name, description: (locale === "en" ? v.descriptionEn : v.description) || v.description }))}
        initial={{
          body: template.body,
          bodyEn: template.bodyEn,
          subject: template.subject,
          subjectEn: template.subjectEn,
          updatedAt: template.updatedAt.toISOString(),
        }}
        defaults={template.defaults}
      />
    </div>
  );
}
