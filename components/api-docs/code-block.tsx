"use client";
// A code sample of /docs/api with a copy button (keyboard reachable; the result is announced). The page
// is static (rendered once per language), so a sample that names this site's address carries the
// placeholder ORIGIN_PLACEHOLDER, replaced after hydration by the address the reader is on.
import { useState, useSyncExternalStore } from "react";
import { ORIGIN_PLACEHOLDER } from "@/lib/api/docs";

const subscribeNever = () => () => {};
const currentOrigin = () => window.location.origin;
const noOrigin = () => null;

export function CodeBlock({ code: template, label, copyText, copiedText }: { code: string; label: string; copyText: string; copiedText: string }) {
  const [copied, setCopied] = useState(false);
  // The server (and hydration) render the placeholder; the browser then renders its own origin.
  const origin = useSyncExternalStore(subscribeNever, currentOrigin, noOrigin);
  const code = origin ? template.replaceAll(ORIGIN_PLACEHOLDER, origin) : template;
  return (
    <div className="relative">
      <pre aria-label={label} tabIndex={0} className="overflow-x-auto rounded-xl bg-slate-900 p-4 pr-24 text-[13px] leading-relaxed text-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
        <code>{code}</code>
      </pre>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(code).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          });
        }}
        className="absolute right-2 top-2 inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg bg-slate-700 px-3 text-xs font-medium text-white hover:bg-slate-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-white"
      >
        <span aria-live="polite">{copied ? copiedText : copyText}</span>
      </button>
    </div>
  );
}

/** The API's base URL on this site (the placeholder until hydration). */
export function ApiBaseUrl() {
  const origin = useSyncExternalStore(subscribeNever, currentOrigin, noOrigin);
  return (
    <code className="break-all rounded bg-slate-100 px-1.5 py-0.5" data-testid="api-base-url">
      {`${origin ?? "<APP_URL>"}/api/v1`}
    </code>
  );
}
