"use client";
// Share: the system share sheet where there is one (phones), else copy the link.
import { useState } from "react";
import type { Locale } from "@/lib/i18n/config";
import { formatMessage, type CompiledMessage } from "@/lib/i18n/icu";

/** `failedLabel`: the compiled "…{url}" text (public.event.copyFailed). */
export function ShareButton({ title, label, copiedLabel, failedLabel, locale }: { title: string; label: string; copiedLabel: string; failedLabel: CompiledMessage; locale: Locale }) {
  const [message, setMessage] = useState("");
  async function share() {
    const url = window.location.href;
    if (typeof navigator.share === "function") {
      try {
        await navigator.share({ title, url });
        return;
      } catch (error) {
        if (error instanceof DOMException && error.name === "AbortError") return;
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setMessage(copiedLabel);
    } catch {
      setMessage(formatMessage(failedLabel, locale, { url }));
    }
  }
  return (
    <>
      <button
        type="button"
        onClick={share}
        className="inline-flex min-h-11 items-center justify-center gap-2 rounded-xl border border-slate-300 bg-white px-4 text-sm font-medium text-slate-900 hover:bg-slate-50"
        data-testid="share-button"
      >
        <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M4 12v7a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-7M16 6l-4-4-4 4M12 2v13" />
        </svg>
        {label}
      </button>
      <span role="status" aria-live="polite" className="basis-full break-all text-sm text-slate-600">
        {message}
      </span>
    </>
  );
}
