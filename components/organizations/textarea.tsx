import type { ComponentPropsWithRef } from "react";
import { cn } from "@/components/ui/cn";

/** Multi-line text input matching components/ui/input (16 px text: no zoom-on-focus on phones). */
export function Textarea({ className, rows = 4, ...rest }: ComponentPropsWithRef<"textarea">) {
  return (
    <textarea
      rows={rows}
      className={cn(
        "block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900",
        "placeholder:text-slate-400 focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-500/40",
        "aria-invalid:border-red-600 aria-invalid:focus:outline-red-600/30 disabled:bg-slate-100",
        className,
      )}
      {...rest}
    />
  );
}
