import type { ComponentPropsWithRef } from "react";
import { cn } from "./cn";

export type InputProps = ComponentPropsWithRef<"input">;

/** Text input: 48 px high, 16 px text (no zoom-on-focus on phones), red border when aria-invalid. */
export function Input({ className, ...rest }: InputProps) {
  return (
    <input
      className={cn(
        "block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3.5 text-base text-slate-900",
        "placeholder:text-slate-400 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40",
        "aria-invalid:border-red-600 aria-invalid:focus:outline-red-600/30 disabled:bg-slate-100",
        className,
      )}
      {...rest}
    />
  );
}
