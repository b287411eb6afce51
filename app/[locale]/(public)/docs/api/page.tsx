// /docs/api — the API documentation: a short introduction, "your first request in five minutes"
// (a token, curl, a webhook receiver verifying signatures) and the interactive reference (Scalar,
// rendering /api/v1/openapi.json). Static per language like the other public pages; the reference is a
// client island whose bundle the app serves itself (/api/docs/scalar.js). The page's
// Content-Security-Policy additionally allows inline stylesheets (Scalar writes its own): docs/api.md.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiReference } from "@/components/api-docs/api-reference";
import { ApiBaseUrl, CodeBlock } from "@/components/api-docs/code-block";
import { OPENAPI_URL, ORIGIN_PLACEHOLDER, SCALAR_SCRIPT_URL } from "@/lib/api/docs";
import { translatorFor } from "@/lib/i18n/catalogue";
import { isLocale } from "@/lib/i18n/config";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  const t = translatorFor(isLocale(locale) ? locale : "ru");
  return { title: t("apiDocs.meta.title"), description: t("apiDocs.meta.description"), alternates: { canonical: "/docs/api" } };
}

const ENV_SAMPLE = `export AQ_URL="${ORIGIN_PLACEHOLDER}/api/v1"
export AQ_TOKEN="aq_org_…"   # the token you just created`;

const LIST_SAMPLE = `curl -s "$AQ_URL/events?status=PUBLISHED&limit=10" \\
  -H "Authorization: Bearer $AQ_TOKEN"

curl -s "$AQ_URL/events/<eventId>/ticket-types" \\
  -H "Authorization: Bearer $AQ_TOKEN"`;

const REGISTER_SAMPLE = `curl -s -X POST "$AQ_URL/events/<eventId>/registrations" \\
  -H "Authorization: Bearer $AQ_TOKEN" \\
  -H "Content-Type: application/json" \\
  -H "Idempotency-Key: $(uuidgen)" \\
  -d '{"ticketTypeId":"<ticketTypeId>","firstName":"Anna","lastName":"Ivanova","email":"anna@example.com"}'`;

const WEBHOOK_SAMPLE = `// npm install standardwebhooks — receiver.mjs (Node 20+)
import http from "node:http";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.AQ_WEBHOOK_SECRET); // whsec_… of your endpoint

http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    try {
      const event = webhook.verify(body, req.headers); // throws on a bad or old signature
      console.log(req.headers["webhook-id"], event.type, event.data);
      res.writeHead(204).end();
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(8080);`;

const ERROR_SAMPLE = `{ "ok": false, "code": "VALIDATION", "message": "…", "messageKey": "errors.validation",
  "fieldErrors": { "startsAt": "…" } }`;

export default async function ApiDocsPage({ params }: Props) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const t = translatorFor(locale);
  const code = (sample: string, label: string) => <CodeBlock code={sample} label={label} copyText={t("apiDocs.copy")} copiedText={t("apiDocs.copied")} />;
  const facts = [
    ["base", null],
    ["auth", "authText"],
    ["format", "formatText"],
    ["errors", "errorsText"],
    ["lists", "listsText"],
    ["writes", "writesText"],
    ["limits", "limitsText"],
  ] as const;

  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-8 px-4 py-6 sm:py-10">
      <header className="flex flex-col gap-3">
        <h1 className="text-2xl font-bold text-slate-900 sm:text-3xl">{t("apiDocs.title")}</h1>
        <p className="max-w-3xl text-base text-slate-700">{t("apiDocs.lead")}</p>
      </header>

      <section aria-labelledby="api-facts" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
        <h2 id="api-facts" className="mb-3 text-lg font-semibold text-slate-900">
          {t("apiDocs.facts.title")}
        </h2>
        <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          {facts.map(([term, text]) => (
            <div key={term} className="contents">
              <dt className="font-medium text-slate-900">{t(`apiDocs.facts.${term}`)}</dt>
              <dd className="mb-2 break-words text-slate-700 sm:mb-0">
                {text ? t(`apiDocs.facts.${text}`) : <ApiBaseUrl />}
              </dd>
            </div>
          ))}
        </dl>
        <div className="mt-4">{code(ERROR_SAMPLE, t("apiDocs.facts.errors"))}</div>
      </section>

      <section aria-labelledby="api-quickstart" className="flex flex-col gap-5" data-testid="api-quickstart">
        <h2 id="api-quickstart" className="text-xl font-semibold text-slate-900">
          {t("apiDocs.quickstart.title")}
        </h2>
        <div className="flex flex-col gap-2">
          <h3 className="font-semibold text-slate-900">{t("apiDocs.quickstart.step1Title")}</h3>
          <p className="text-sm text-slate-700">{t("apiDocs.quickstart.step1Text")}</p>
          <p>
            <Link href="/dashboard" prefetch={false} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline">
              {t("apiDocs.quickstart.step1Link")}
            </Link>
          </p>
        </div>
        <div className="flex flex-col gap-2">
          <h3 className="font-semibold text-slate-900">{t("apiDocs.quickstart.step2Title")}</h3>
          {code(ENV_SAMPLE, t("apiDocs.quickstart.step2Title"))}
        </div>
        <div className="flex flex-col gap-2">
          <h3 className="font-semibold text-slate-900">{t("apiDocs.quickstart.step3Title")}</h3>
          <p className="text-sm text-slate-700">{t("apiDocs.quickstart.step3Text")}</p>
          {code(LIST_SAMPLE, t("apiDocs.quickstart.step3Title"))}
        </div>
        <div className="flex flex-col gap-2">
          <h3 className="font-semibold text-slate-900">{t("apiDocs.quickstart.step4Title")}</h3>
          {code(REGISTER_SAMPLE, t("apiDocs.quickstart.step4Title"))}
          <p className="text-sm text-slate-700">{t("apiDocs.quickstart.step4Text")}</p>
        </div>
        <div className="flex flex-col gap-2">
          <h3 className="font-semibold text-slate-900">{t("apiDocs.quickstart.step5Title")}</h3>
          <p className="text-sm text-slate-700">{t("apiDocs.quickstart.step5Text")}</p>
          {code(WEBHOOK_SAMPLE, t("apiDocs.quickstart.step5Title"))}
          <p className="text-sm text-slate-700">{t("apiDocs.quickstart.step5Note")}</p>
        </div>
      </section>

      <section aria-labelledby="api-docs-reference" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="api-docs-reference" className="text-xl font-semibold text-slate-900">
            {t("apiDocs.reference.title")}
          </h2>
          <a href={OPENAPI_URL} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-700 underline" data-testid="openapi-download">
            {t("apiDocs.reference.download")}
          </a>
        </div>
        <p className="text-sm text-slate-700">{t("apiDocs.reference.text")}</p>
        <noscript>
          <p className="text-sm text-slate-700">{t("apiDocs.reference.noscript")}</p>
        </noscript>
        <ApiReference
          scriptUrl={SCALAR_SCRIPT_URL}
          specUrl={OPENAPI_URL}
          locale={locale}
          texts={{ loading: t("apiDocs.reference.loading"), failed: t("apiDocs.reference.failed"), download: t("apiDocs.reference.download") }}
        />
      </section>
    </div>
  );
}
