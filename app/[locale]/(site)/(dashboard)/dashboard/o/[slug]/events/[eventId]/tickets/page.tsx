import type { Metadata } from "next";
import { loadEventPage } from "@/components/events/event-loader";
import { formatEventDateTime, formatPrice } from "@/components/events/format";
import { EMPTY_TICKET_TYPE } from "@/components/events/form-values";
import { TicketTypeForm } from "@/components/events/ticket-type-form";
import { TicketTypeList, type TicketTypeItem } from "@/components/events/ticket-type-list";
import { PromoCodeForm } from "@/components/promo/promo-code-form";
import { PromoCodeList, type PromoCodeRow } from "@/components/promo/promo-code-list";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { listTicketTypesForManage } from "@/lib/events";
import { getLocale, getT } from "@/lib/i18n/server";
import { actorOf } from "@/lib/permissions";
import { listPromoCodes } from "@/lib/promo";

type Props = { params: Promise<{ slug: string; eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("events.ui.tickets.title") };
}

export default async function EventTicketsPage({ params }: Props) {
  const { slug, eventId } = await params;
  const [{ user, event }, t, locale] = await Promise.all([loadEventPage(slug, eventId), getT(), getLocale()]);
  const [types, promoCodes] = await Promise.all([
    listTicketTypesForManage({ actor: actorOf(user), eventId: event.id }),
    listPromoCodes({ actor: actorOf(user), eventId: event.id }),
  ]);
  const promoRows: PromoCodeRow[] = promoCodes.map((p) => ({
    id: p.id,
    code: p.code,
    discountText:
      p.discountKind === "PERCENT"
        ? t("promo.ui.percentOff", { value: p.discountValue })
        : t("promo.ui.amountOff", { amount: formatPrice(locale, p.discountValue, p.currency ?? "RUB") }),
    ticketTypeName: p.ticketTypeName,
    usedCount: p.usedCount,
    usageLimit: p.usageLimit,
    validFromText: p.validFrom ? formatEventDateTime(locale, p.validFrom, event.timezone) : null,
    validUntilText: p.validUntil ? formatEventDateTime(locale, p.validUntil, event.timezone) : null,
    state: p.state,
  }));
  const editable = event.status === "DRAFT" || event.status === "PUBLISHED";
  const items: TicketTypeItem[] = types.map((tt) => ({
    id: tt.id,
    name: tt.name,
    description: tt.description,
    priceText: tt.priceCents > 0 ? formatPrice(locale, tt.priceCents, tt.currency) : null,
    quantity: tt.quantity,
    soldCount: tt.soldCount,
    reservedCount: tt.reservedCount,
    available: tt.available,
    reservationMinutes: tt.reservationMinutes,
    prepaymentPercent: tt.prepaymentPercent,
    salesStartText: tt.salesStart ? formatEventDateTime(locale, tt.salesStart, event.timezone) : null,
    salesEndText: tt.salesEnd ? formatEventDateTime(locale, tt.salesEnd, event.timezone) : null,
    isActive: tt.isActive,
    isHidden: tt.isHidden,
    registrationCount: tt.registrationCount,
    canDelete: tt.canDelete,
    formValues: {
      name: tt.formValues.name,
      description: tt.formValues.description,
      price: tt.formValues.price,
      currency: tt.formValues.currency,
      quantity: tt.formValues.quantity,
      reservationMinutes: tt.formValues.reservationMinutes,
      prepaymentPercent: tt.formValues.prepaymentPercent,
      salesStart: tt.formValues.salesStart,
      salesEnd: tt.formValues.salesEnd,
      isActive: tt.formValues.isActive,
      isHidden: tt.formValues.isHidden,
    },
  }));

  return (
    <div className="flex flex-col gap-5">
      <Card aria-labelledby="ticket-types-title">
        <CardHeader id="ticket-types-title" title={t("events.ui.tickets.title")} description={t("events.ui.tickets.hint")} />
        {!editable && <Alert variant="info" className="mb-3">{t("events.ui.tickets.closedEvent")}</Alert>}
        {items.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 p-4 text-center" data-testid="ticket-types-empty">
            <p className="font-medium text-slate-800">{t("events.ui.tickets.empty")}</p>
            <p className="mt-1 text-sm text-slate-600">{t("events.ui.tickets.emptyHint")}</p>
          </div>
        ) : (
          <TicketTypeList eventId={event.id} timeZone={event.timezone} items={items} editable={editable} />
        )}
      </Card>
      {editable && (
        <Card aria-labelledby="new-ticket-type-title">
          <CardHeader id="new-ticket-type-title" title={t("events.ui.tickets.add")} />
          <TicketTypeForm mode="create" eventId={event.id} timeZone={event.timezone} defaults={EMPTY_TICKET_TYPE} />
        </Card>
      )}
      <Card aria-labelledby="promo-codes-title" data-testid="promo-codes">
        <CardHeader id="promo-codes-title" title={t("promo.ui.title")} description={t("promo.ui.hint")} />
        <PromoCodeList rows={promoRows} editable={editable} />
      </Card>
      {editable && (
        <Card aria-labelledby="new-promo-code-title">
          <CardHeader id="new-promo-code-title" title={t("promo.ui.createTitle")} />
          <PromoCodeForm
            eventId={event.id}
            timeZone={event.timezone}
            ticketTypes={types.map((tt) => ({ id: tt.id, name: tt.name, currency: tt.currency, isHidden: tt.isHidden }))}
          />
        </Card>
      )}
    </div>
  );
}
