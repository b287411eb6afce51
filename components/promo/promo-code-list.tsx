"use client";
// The event's promo codes (organizer): code, discount, what it applies to, uses / limit, window, state;
// "Deactivate" behind a confirmation. Phone first: one card per code.
import { useRouter } from "next/navigation";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import { deactivatePromoCodeAction } from "@/lib/promo/actions";

export type PromoCodeRow = {
  id: string;
  code: string;
  /** Preformatted in the page: "−25 %" or "−500 ₽". */
  discountText: string;
  ticketTypeName: string | null;
  usedCount: number;
  usageLimit: number | null;
  /** Preformatted in the event's zone. */
  validFromText: string | null;
  validUntilText: string | null;
  state: "active" | "inactive" | "notYetValid" | "expired" | "usedUp";
};

const STATE_TONE: Record<PromoCodeRow["state"], string> = {
  active: "bg-green-100 text-green-900",
  inactive: "bg-slate-200 text-slate-700",
  notYetValid: "bg-amber-100 text-amber-900",
  expired: "bg-slate-200 text-slate-700",
  usedUp: "bg-red-100 text-red-800",
};

export function PromoCodeList({ rows, editable }: { rows: PromoCodeRow[]; editable: boolean }) {
  const t = useT();
  const router = useRouter();
  if (rows.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 p-4 text-center" data-testid="promo-codes-empty">
        <p className="font-medium text-slate-800">{t("promo.ui.empty")}</p>
        <p className="mt-1 text-sm text-slate-600">{t("promo.ui.emptyHint")}</p>
      </div>
    );
  }
  return (
    <ul className="flex flex-col gap-3" aria-label={t("promo.ui.title")}>
      {rows.map((row) => (
        <li key={row.id} className={cn("flex flex-col gap-2 rounded-xl border p-4", row.state === "inactive" ? "border-dashed border-slate-300 bg-slate-50" : "border-slate-200")} data-testid="promo-code-item">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="font-mono text-lg font-semibold break-all text-slate-900" data-testid="promo-code-text">
              {row.code}
            </p>
            <span className={cn("rounded-full px-2.5 py-0.5 text-xs font-semibold", STATE_TONE[row.state])} data-testid="promo-code-state">
              {t.dynamic(`promo.ui.state.${row.state}`)}
            </span>
          </div>
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
            <li className="font-semibold">{row.discountText}</li>
            <li>{row.ticketTypeName ? t("promo.ui.forType", { name: row.ticketTypeName }) : t("promo.ui.forEvent")}</li>
            <li data-testid="promo-code-uses">
              {t("promo.ui.usesLabel")}:{" "}
              {row.usageLimit === null ? t("promo.ui.usesUnlimited", { used: row.usedCount }) : t("promo.ui.uses", { used: row.usedCount, limit: row.usageLimit })}
            </li>
            {row.validFromText && <li>{t("promo.ui.from", { date: row.validFromText })}</li>}
            {row.validUntilText && <li>{t("promo.ui.until", { date: row.validUntilText })}</li>}
          </ul>
          {editable && row.state !== "inactive" && (
            <div>
              <ConfirmDialog
                triggerLabel={t("promo.ui.deactivate")}
                triggerVariant="secondary"
                triggerSize="sm"
                triggerAriaLabel={t("promo.ui.deactivateTitle", { code: row.code })}
                triggerTestId="deactivate-promo-code"
                title={t("promo.ui.deactivateTitle", { code: row.code })}
                description={t("promo.ui.deactivateText")}
                confirmLabel={t("promo.ui.deactivate")}
                cancelLabel={t("promo.ui.cancel")}
                onConfirm={() => deactivatePromoCodeAction({ promoCodeId: row.id })}
                onDone={() => router.refresh()}
              />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
