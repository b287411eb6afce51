"use client";
// The interactive API reference (Scalar) on /docs/api. Its bundle is served by the app itself
// (/api/docs/scalar.js, versioned and cached for a year): pages here load nothing from a CDN. The
// script is added once, on mount; it renders the OpenAPI document into the element below in the page's
// language. Scalar writes its stylesheet into <style> elements, which the page's own
// Content-Security-Policy allows (lib/http/content-security-policy.mjs allowsInlineStyles).
import { useEffect, useRef, useState } from "react";

type ScalarInstance = { destroy: () => void };
type ScalarGlobal = { createApiReference: (element: Element, configuration: Record<string, unknown>) => ScalarInstance };

declare global {
  interface Window {
    Scalar?: ScalarGlobal;
  }
}

let loading: Promise<ScalarGlobal> | null = null;

/** Loads the bundle once per page (a second mount reuses it). */
function loadScalar(src: string): Promise<ScalarGlobal> {
  if (window.Scalar) return Promise.resolve(window.Scalar);
  loading ??= new Promise<ScalarGlobal>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () => (window.Scalar ? resolve(window.Scalar) : reject(new Error("Scalar did not load")));
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error("Scalar did not load"));
    };
    document.head.appendChild(script);
  });
  return loading;
}

export function ApiReference({
  scriptUrl,
  specUrl,
  locale,
  texts,
}: {
  scriptUrl: string;
  specUrl: string;
  locale: string;
  texts: { loading: string; failed: string; download: string };
}) {
  const mount = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    let instance: ScalarInstance | null = null;
    let cancelled = false;
    loadScalar(scriptUrl)
      .then((scalar) => {
        if (cancelled || !mount.current) return;
        instance = scalar.createApiReference(mount.current, {
          url: specUrl,
          // Everything from this origin: no web fonts from Scalar's CDN, no telemetry, no request proxy
          // ("Try it" calls the API directly: same origin).
          withDefaultFonts: false,
          telemetry: false,
          hideClientButton: false,
          showDeveloperTools: "never",
          agent: { disabled: true },
          mcp: { disabled: true },
          documentDownloadType: "json",
          localization: { locale },
          defaultOpenAllTags: false,
          persistAuth: false,
        });
        setState("ready");
      })
      .catch(() => {
        if (!cancelled) setState("failed");
      });
    return () => {
      cancelled = true;
      instance?.destroy();
    };
  }, [scriptUrl, specUrl, locale]);

  return (
    <div className="relative">
      {state !== "ready" && (
        <p role="status" aria-live="polite" className="rounded-xl border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
          {state === "loading" ? (
            texts.loading
          ) : (
            <>
              {texts.failed}{" "}
              <a href={specUrl} className="font-medium text-brand-700 underline">
                {texts.download}
              </a>
            </>
          )}
        </p>
      )}
      <div ref={mount} data-testid="api-reference" className="min-h-[50vh]" />
    </div>
  );
}
