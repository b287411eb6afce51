"use client";
// The shell of a row-action dialog: a native <dialog> (focus trap, Escape, inert background) with a
// title, a description and a form. Escape is ignored while the request is in flight.
import { useId, type FormEvent, type ReactNode, type RefObject } from "react";

export function ActionDialog({
  dialogRef,
  title,
  description,
  busy,
  onSubmit,
  testId,
  children,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: string;
  description: ReactNode;
  busy: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  testId: string;
  children: ReactNode;
}) {
  const titleId = useId();
  const textId = useId();
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-testid={testId}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl border border-slate-200 bg-white p-0 text-left shadow-xl backdrop:bg-slate-900/40"
      onCancel={(e) => {
        if (busy) e.preventDefault();
      }}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4 p-5 sm:p-6">
        <h2 id={titleId} className="text-lg font-semibold break-words text-slate-900">
          {title}
        </h2>
        <div id={textId} className="flex flex-col gap-2 text-sm text-slate-600">
          {description}
        </div>
        {children}
      </form>
    </dialog>
  );
}
