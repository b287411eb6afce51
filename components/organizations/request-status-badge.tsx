import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export type RequestStatus = "PENDING" | "APPROVED" | "REJECTED";

const tones: Record<RequestStatus, string> = {
  PENDING: "bg-amber-100 text-amber-900",
  APPROVED: "bg-emerald-100 text-emerald-800",
  REJECTED: "bg-red-100 text-red-800",
};

/** The status of an organization request as a coloured pill (the text is the meaning, not the colour). */
export function RequestStatusBadge({ status, children, className }: { status: RequestStatus; children: ReactNode; className?: string }) {
  return (
    <span className={cn("inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-xs font-semibold", tones[status], className)} data-status={status}>
      {children}
    </span>
  );
}
