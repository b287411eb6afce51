import type { ReactNode } from "react";
import { cn } from "./cn";

export type AlertVariant = "error" | "info" | "success";

const styles: Record<AlertVariant, string> = {
  error: "border-red-200 bg-red-50 text-red-800",
  info: "border-brand-100 bg-brand-50 text-brand-700",
  success: "border-emerald-200 bg-emerald-50 text-emerald-800",
};

/** A message box. Errors are announced at once (role="alert"), others politely (role="status"). */
export function Alert({ variant = "info", title, children, className }: { variant?: AlertVariant; title?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <div role={variant === "error" ? "alert" : "status"} className={cn("rounded-xl border px-4 py-3 text-sm", styles[variant], className)}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={cn(title ? "mt-1" : undefined)}>{children}</div>}
    </div>
  );
}
