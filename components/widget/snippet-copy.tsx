"use client";
// One embed snippet: the code in a read-only text area (selectable by hand) and a copy button that says
// what happened in a polite live region. Texts come as props (the event pages' provider does not carry
// the widget namespace).
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

export function SnippetCopy({
  title,
  hint,
  code,
  texts,
  testId,
}: {
  title: string;
  hint: string;
  code: string;
  texts: { copy: string; copied: string; copyFailed: string };
  testId: string;
}) {
  const id = useId();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const area = useRef<HTMLTextAreaElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(code);
      setState("copied");
    } catch {
      area.current?.select();
      setState("failed");
    }
    timer.current = setTimeout(() => setState("idle"), 4000);
  };

  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="font-semibold text-slate-900">
        {title}
      </label>
      <p id={`${id}-hint`} className="text-sm text-slate-600">
        {hint}
      </p>
      <textarea
        ref={area}
        id={id}
        readOnly
        value={code}
        // Long lines wrap (break-all): room for about 60 characters a line on a phone.
        rows={code.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 60)), 0)}
        aria-describedby={`${id}-hint`}
        onFocus={(e) => e.currentTarget.select()}
        className="w-full resize-none rounded-xl border border-slate-300 bg-slate-50 p-3 font-mono text-xs break-all text-slate-800 sm:text-sm"
        data-testid={`${testId}-code`}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" size="sm" onClick={copy} aria-describedby={`${id}-status`} data-testid={`${testId}-copy`}>
          {state === "copied" ? texts.copied : texts.copy}
        </Button>
        <span id={`${id}-status`} role="status" aria-live="polite" className={state === "failed" ? "text-sm text-red-700" : "sr-only"}>
          {state === "copied" ? texts.copied : state === "failed" ? texts.copyFailed : ""}
        </span>
      </div>
    </div>
  );
}
