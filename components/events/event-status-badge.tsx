import type { EventStatus } from "@/lib/generated/prisma/enums";
import type { Translator } from "@/lib/i18n/translate";
import { cn } from "@/components/ui/cn";

const TONES: Record<EventStatus, string> = {
  DRAFT: "bg-slate-100 text-slate-700",
  PUBLISHED: "bg-emerald-100 text-emerald-800",
  CANCELLED: "bg-red-100 text-red-800",
  COMPLETED: "bg-brand-100 text-brand-700",
};

/** The status of an event as a coloured pill (the text carries the meaning, not the colour). */
export function EventStatusBadge({ status, t, className }: { status: EventStatus; t: Translator; className?: string }) {
  return (
    <span className={cn("inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold", TONES[status], className)} data-testid="event-status" data-status={status}>
      {t(`events.ui.status.${status}`)}
    </span>
  );
}
