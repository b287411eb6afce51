"use client";
// A button that runs one server action (which redirects on success) and shows its error in place.
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";

export function ActionButton({ action, label, testId }: { action: () => Promise<ActionResult>; label: string; testId?: string }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await action();
        if (result && !result.ok) setError(result.message);
      } catch {
        setError("errors.internal");
      }
    });
  return (
    <div className="flex flex-col gap-3">
      {error && <Alert variant="error">{t.dynamic(error)}</Alert>}
      <Button size="lg" fullWidth onClick={run} pending={pending} data-testid={testId}>
        {label}
      </Button>
    </div>
  );
}
