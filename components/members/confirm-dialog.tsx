"use client";
// A confirmation step for destructive or irreversible actions, on the native <dialog> (modal: focus is
// kept inside, Esc closes, focus returns to the trigger). `onConfirm` runs a server action; an error
// is shown inside the dialog, success closes it.
import { useId, useRef, useState, useTransition, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ButtonSize, ButtonVariant } from "@/components/ui/button-styles";
import type { ActionResult } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";

export type ConfirmDialogProps = {
  triggerLabel: ReactNode;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  /** An accessible name for the trigger when its text alone is ambiguous (e.g. "Remove" in a list). */
  triggerAriaLabel?: string;
  triggerTestId?: string;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonVariant;
  cancelLabel: string;
  onConfirm: () => Promise<ActionResult>;
  /** Called after a successful action (the dialog is already closed). */
  onDone?: () => void;
  children?: ReactNode;
  confirmDisabled?: boolean;
};

export function ConfirmDialog(props: ConfirmDialogProps) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const open = () => {
    setError(null);
    ref.current?.showModal();
  };
  const close = () => ref.current?.close();

  const confirm = () =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await props.onConfirm();
        if (result.ok) {
          close();
          props.onDone?.();
        } else {
          setError(result.message);
        }
      } catch {
        setError("errors.internal");
      }
    });

  return (
    <>
      <Button
        variant={props.triggerVariant ?? "secondary"}
        size={props.triggerSize ?? "sm"}
        onClick={open}
        aria-label={props.triggerAriaLabel}
        aria-haspopup="dialog"
        data-testid={props.triggerTestId}
      >
        {props.triggerLabel}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        aria-describedby={props.description ? descriptionId : undefined}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
        onCancel={(e) => {
          if (pending) e.preventDefault();
        }}
      >
        <div className="flex flex-col gap-4 p-5 sm:p-6">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            {props.title}
          </h2>
          {props.description && (
            <div id={descriptionId} className="text-sm text-slate-600">
              {props.description}
            </div>
          )}
          {props.children}
          {error && <Alert variant="error">{t.dynamic(error)}</Alert>}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={close} disabled={pending}>
              {props.cancelLabel}
            </Button>
            <Button variant={props.confirmVariant ?? "danger"} onClick={confirm} pending={pending} disabled={props.confirmDisabled}>
              {props.confirmLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
