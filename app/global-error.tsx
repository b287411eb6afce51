"use client";
// Replaces the root layout when it fails itself, so there is no locale provider here: the texts of
// both catalogues are shown, Russian first.
import { useEffect } from "react";
import "./globals.css";
// The core catalogues only (not lib/i18n/messages, which pulls in every feature area): this component
// is in the JavaScript of every page.
import { coreEn as en } from "@/lib/i18n/messages/en";
import { coreRu as ru } from "@/lib/i18n/messages/ru";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <html lang="ru">
      <body className="flex min-h-dvh items-center justify-center bg-slate-50 px-4 font-sans text-slate-900">
        <div role="alert" className="flex max-w-md flex-col items-center gap-4 text-center">
          <h1 className="text-2xl font-bold">{ru.errorPage.title}</h1>
          <p className="text-slate-600">{ru.errorPage.text}</p>
          <p lang="en" className="text-slate-600">
            {en.errorPage.title}. {en.errorPage.text}
          </p>
          {error.digest && <p className="font-mono text-xs text-slate-500">{error.digest}</p>}
          <button
            type="button"
            onClick={() => reset()}
            className="min-h-12 rounded-xl bg-brand-600 px-5 font-medium text-white hover:bg-brand-700"
          >
            {ru.common.retry} / <span lang="en">{en.common.retry}</span>
          </button>
        </div>
      </body>
    </html>
  );
}
