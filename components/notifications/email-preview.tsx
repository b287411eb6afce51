"use client";
// The email form of a template as it is typed: rendered on the server (React Email, the same code as
// delivery) through previewTemplateAction, a moment after the text stops changing, and shown in a
// sandboxed iframe (srcdoc, no scripts, no same origin): the email's markup never touches the page.
import { useEffect, useRef, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { previewTemplateAction } from "@/lib/notifications/actions";

export type EmailPreviewInput = {
  code: string;
  body: string;
  bodyEn: string;
  subject: string;
  subjectEn: string;
  variables: Record<string, string>;
  locale: "RU" | "EN";
};

type State = { status: "loading" } | { status: "ready"; subject: string; html: string } | { status: "error"; message: string };

const DEBOUNCE_MS = 450;

export function EmailPreview({ input, disabled, label }: { input: EmailPreviewInput; disabled: boolean; label: string }) {
  const t = useT();
  const [state, setState] = useState<State>({ status: "loading" });
  const latest = useRef(0);
  const translate = useRef(t);
  const key = JSON.stringify(input);

  useEffect(() => {
    translate.current = t;
  }, [t]);

  useEffect(() => {
    if (disabled) return;
    const request = ++latest.current;
    const timer = setTimeout(() => {
      previewTemplateAction(JSON.parse(key) as EmailPreviewInput)
        .then((result) => {
          if (request !== latest.current) return; // a newer text is on its way
          if (result.ok) setState({ status: "ready", subject: result.subject, html: result.html });
          else setState({ status: "error", message: translate.current.dynamic(result.message) });
        })
        .catch(() => {
          if (request === latest.current) setState({ status: "error", message: translate.current("errors.internal") });
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, disabled]);

  if (disabled || state.status === "error") {
    return (
      <p className="rounded-2xl border border-dashed border-slate-300 p-4 text-sm text-slate-600" role="status">
        {state.status === "error" ? state.message : t("notices.templates.emailUnavailable")}
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2" aria-busy={state.status === "loading"}>
      <p className="rounded-xl bg-slate-100 px-3 py-2 text-sm text-slate-800 [overflow-wrap:anywhere]" data-testid={`email-subject-${input.locale}`}>
        {state.status === "ready" ? t("notices.templates.emailSubject", { subject: state.subject }) : t("notices.templates.emailLoading")}
      </p>
      {state.status === "ready" && (
        <iframe
          title={label}
          sandbox=""
          srcDoc={state.html}
          className="h-[28rem] w-full rounded-2xl border border-slate-200 bg-white"
          data-testid={`email-frame-${input.locale}`}
        />
      )}
    </div>
  );
}
