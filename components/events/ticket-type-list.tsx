"use client";
// The ticket types of an event in display order: details, edit in place, activate / deactivate,
// move up / down, delete (refused once a type has registrations: then only deactivation is offered).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  deleteTicketTypeAction,
  reorderTicketTypesAction,
  setTicketTypeActiveAction,
} from "@/lib/events/actions";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import type { TicketTypeFormState } from "./form-values";
import { TicketTypeForm } from "./ticket-type-form";

export type TicketTypeItem = {
  id: string;
  name: string;
  description: string | null;
  /** Preformatted in the page (locale, currency). */
  priceText: string | null;
  quantity: number | null;
  soldCount: number;
  reservedCount: number;
  available: number | null;
  reservationMinutes: number | null;
  prepaymentPercent: number | null;
  /** Preformatted in the event's zone. */
  salesStartText: string | null;
  salesEndText: string | null;
  isActive: boolean;
  isHidden: boolean;
  registrationCount: number;
  canDelete: boolean;
  formValues: TicketTypeFormState;
};

export function TicketTypeList({ eventId, timeZone, items, editable }: { eventId: string; timeZone: string; items: TicketTypeItem[]; editable: boolean }) {
  const t = useT();
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (action: () => Promise<{ ok: boolean; message?: string }>) =>
    startTransition(async () => {
      setError(null);
      try {
        const result = await action();
        if (!result.ok) setError(result.message ?? "errors.internal");
        else router.refresh();
      } catch {
        setError("errors.internal");
      }
    });

  const move = (index: number, delta: -1 | 1) => {
    const ids = items.map((i) => i.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + delta, 0, moved);
    run(() => reorderTicketTypesAction(eventId, ids));
  };

  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite">{error && <Alert variant="error">{t.dynamic(error)}</Alert>}</div>
      <ol className="flex flex-col gap-3" data-testid="ticket-type-list" aria-busy={pending || undefined}>
        {items.map((item, index) => (
          <li key={item.id} className={cn("flex flex-col gap-3 rounded-xl border p-4", item.isActive ? "border-slate-200" : "border-dashed border-slate-300 bg-slate-50")} data-testid="ticket-type-item">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="min-w-0">
                <p className="font-semibold break-words text-slate-900" data-testid="ticket-type-name">
                  {item.name}
                </p>
                <p className="text-sm text-slate-700">{item.priceText ?? t("events.ui.tickets.free")}</p>
              </div>
              {!item.isActive && <span className="rounded-full bg-slate-200 px-2.5 py-0.5 text-xs font-semibold text-slate-700">{t("events.ui.tickets.inactive")}</span>}
              {item.isHidden && (
                <span className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900" data-testid="ticket-type-hidden">
                  {t("promo.ui.hiddenBadge")}
                </span>
              )}
            </div>
            {item.description && <p className="text-sm break-words whitespace-pre-line text-slate-600">{item.description}</p>}
            <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600">
              <li>{item.quantity === null ? t("events.ui.tickets.unlimited") : t("events.ui.tickets.seats", { quantity: item.quantity })}</li>
              <li>{t("events.ui.tickets.sold", { sold: item.soldCount, reserved: item.reservedCount })}</li>
              {item.available !== null && <li>{t("events.ui.tickets.available", { count: item.available })}</li>}
              {item.prepaymentPercent !== null && <li>{t("events.ui.tickets.prepayment", { percent: item.prepaymentPercent })}</li>}
              {item.reservationMinutes !== null && <li>{t("events.ui.tickets.reservation", { minutes: item.reservationMinutes })}</li>}
              {(item.salesStartText || item.salesEndText) && (
                <li>
                  {item.salesStartText && item.salesEndText
                    ? t("events.ui.tickets.salesWindow", { from: item.salesStartText, to: item.salesEndText })
                    : item.salesStartText
                      ? t("events.ui.tickets.salesFrom", { from: item.salesStartText })
                      : t("events.ui.tickets.salesTo", { to: item.salesEndText ?? "" })}
                </li>
              )}
            </ul>

            {editable && (
              <div className="flex flex-wrap gap-2">
                <Button size="sm" variant="secondary" aria-expanded={editing === item.id} onClick={() => setEditing(editing === item.id ? null : item.id)} data-testid="edit-ticket-type">
                  {editing === item.id ? t("events.ui.tickets.closeEdit") : t("events.ui.tickets.edit")}
                </Button>
                <Button size="sm" variant="secondary" disabled={pending} onClick={() => run(() => setTicketTypeActiveAction(eventId, item.id, !item.isActive))} data-testid="toggle-ticket-type">
                  {item.isActive ? t("events.ui.tickets.deactivate") : t("events.ui.tickets.activate")}
                </Button>
                <Button size="sm" variant="ghost" disabled={pending || index === 0} onClick={() => move(index, -1)} aria-label={t("events.ui.tickets.moveUpLabel", { name: item.name })}>
                  ↑
                </Button>
                <Button size="sm" variant="ghost" disabled={pending || index === items.length - 1} onClick={() => move(index, 1)} aria-label={t("events.ui.tickets.moveDownLabel", { name: item.name })}>
                  ↓
                </Button>
                {item.canDelete ? (
                  <ConfirmDialog
                    triggerLabel={t("events.ui.tickets.delete")}
                    triggerVariant="ghost"
                    triggerAriaLabel={t("events.ui.tickets.deleteTitle", { name: item.name })}
                    triggerTestId="delete-ticket-type"
                    title={t("events.ui.tickets.deleteTitle", { name: item.name })}
                    description={t("events.ui.tickets.deleteText")}
                    confirmLabel={t("events.ui.tickets.delete")}
                    cancelLabel={t("events.ui.overview.keep")}
                    onConfirm={() => deleteTicketTypeAction(eventId, item.id)}
                    onDone={() => router.refresh()}
                  />
                ) : null}
              </div>
            )}
            {editable && !item.canDelete && <p className="text-xs text-slate-500">{t("events.ui.tickets.deleteBlocked", { count: item.registrationCount })}</p>}

            {editable && editing === item.id && (
              <div className="border-t border-slate-200 pt-3">
                <h3 className="mb-3 font-semibold text-slate-900">{t("events.ui.tickets.editTitle", { name: item.name })}</h3>
                <TicketTypeForm
                  mode="edit"
                  eventId={eventId}
                  ticketTypeId={item.id}
                  timeZone={timeZone}
                  defaults={item.formValues}
                  taken={item.soldCount + item.reservedCount}
                  onDone={() => setEditing(null)}
                />
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
