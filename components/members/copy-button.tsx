"use client";
// Copies a text to the clipboard and says so (politely announced). Falls back to selecting nothing and
// telling the user to copy by hand when the Clipboard API is unavailable (http, old browsers).
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ButtonVariant } from "@/components/ui/button-styles";
import { useT } from "@/lib/i18n/client";

export function CopyButton({
  value,
  label,
  text,
  variant = "secondary",
  testId,
}: {
  value: string;
  /** What is copied (for the accessible name: "Copy: <label>"). */
  label: string;
  /** The visible text; default "Copy". */
  text?: string;
  variant?: ButtonVariant;
  testId?: string;
}) {
  const t = useT();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
    timer.current = setTimeout(() => setState("idle"), 4000);
  };

  return (
    <span className="inline-flex flex-col gap-1">
      <Button variant={variant} size="sm" onClick={copy} aria-label={t("members.share.copyLabel", { label })} data-testid={testId}>
        <CopyIcon />
        {state === "copied" ? t("members.share.copied") : (text ?? t("members.share.copy"))}
      </Button>
      <span role="status" aria-live="polite" className={state === "failed" ? "text-xs text-red-700" : "sr-only"}>
        {state === "copied" ? t("members.share.copied") : state === "failed" ? t("members.share.copyFailed") : ""}
      </span>
    </span>
  );
}

function CopyIcon() {
  return (
    <svg className="size-4" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <rect x="9" y="9" width="12" height="12" rx="2" />
      <path d="M5 15V5a2 2 0 0 1 2-2h10" />
    </svg>
  );
}
