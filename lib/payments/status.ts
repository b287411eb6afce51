// The live state of one payment, for the return page (app/[locale]/(site)/pay/return/[paymentId]) and its
// poll (app/api/payments/[paymentId]/status). Who may see it: the registration's owner (signed in), its
// guest token, or the return link's key `k` — an HMAC of the payment id that our return URL carries (the
// provider sends the buyer back to it; a guest has no session). While the payment is open the provider is
// re-read at most every few seconds (throttled on the row's updated_at, so any number of tabs and
// processes make one call), and the answer goes through the one settle path.
import "server-only";
import { db } from "@/lib/db";
import { isUuid, type Actor } from "@/lib/permissions";
import { guestTokenFor } from "@/lib/registrations";
import { registrationErrors } from "@/lib/registrations/shared";
import { authorizePayer } from "./checkout";
import { paymentRouteFor, providerForPayment } from "./accounts";
import { ProviderError, type OnlineProviderId } from "./providers/types";
import { returnLinkKey, verifyReturnLinkKey } from "./return-link";
import { prepaymentAmount } from "./manual";
import { settlePayment } from "./settle";

const REREAD_SECONDS = 4;

export type PaymentStatusView = {
  paymentId: string;
  /** paid: the registration holds the ticket; processing: not decided yet; failed: declined/expired (pay again);
   *  refunded: the money came after the hold ended (or the registration could not take it) and goes back;
   *  review: the provider's amount differed from ours — the organizer checks it. */
  state: "paid" | "processing" | "failed" | "refunded" | "review";
  kind: "FULL" | "PREPAYMENT" | "REMAINDER";
  amountCents: number;
  currency: "RUB" | "USD" | "EUR";
  failureReason: string | null;
  /** Where to continue paying while processing and the checkout is open. */
  checkoutUrl: string | null;
  registrationId: string;
  eventTitle: string;
  /** The ticket page: the signed-in ticket, or a guest's private link. */
  ticketPath: string | null;
  testMode: boolean;
};

type Row = {
  id: string;
  tenant_id: string;
  registration_id: string;
  provider: string;
  provider_payment_id: string | null;
  status: string;
  kind: PaymentStatusView["kind"];
  amount_cents: number;
  currency: PaymentStatusView["currency"];
  failure_reason: string | null;
  flag_reason: string | null;
  checkout_url: string | null;
  checkout_open: boolean;
  reread_due: boolean;
  refunded_all: boolean;
  registration_status: string;
  user_id: string | null;
  title: string;
};

async function read(paymentId: string): Promise<Row | undefined> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT p.id, p.tenant_id, p.registration_id, p.provider, p.provider_payment_id, p.status::text AS status, p.kind,
           p.amount_cents, p.currency::text AS currency, p.failure_reason, p.flag_reason, p.checkout_url,
           (p.checkout_expires_at IS NULL OR p.checkout_expires_at > now()) AS checkout_open,
           (p.updated_at <= now() - make_interval(secs => ${REREAD_SECONDS})) AS reread_due,
           EXISTS (SELECT 1 FROM refunds f WHERE f.payment_id = p.id AND f.status <> 'FAILED' AND f.amount_cents >= p.amount_cents) AS refunded_all,
           r.status::text AS registration_status, r.user_id, e.title
      FROM payments p JOIN registrations r ON r.id = p.registration_id JOIN events e ON e.id = r.event_id
     WHERE p.id = ${paymentId}::uuid`;
  return rows[0];
}

/** The payment's state for its payer (see the file comment); NOT_FOUND for anyone else. */
export async function getPaymentStatus(options: {
  paymentId: string;
  actor?: Actor | null;
  guestToken?: string | null;
  returnKey?: string | null;
  /** Re-read the provider when the payment is open and the last read is a few seconds old (default true). */
  refresh?: boolean;
}): Promise<PaymentStatusView> {
  if (!isUuid(options.paymentId)) throw registrationErrors.notFound();
  let row = await read(options.paymentId);
  if (!row) throw registrationErrors.notFound();
  const byKey = verifyReturnLinkKey(row.id, options.returnKey);
  if (!byKey && !(await authorizePayer(db, row.registration_id, options))) throw registrationErrors.notFound();

  if (options.refresh !== false && row.provider_payment_id && (row.status === "PENDING" || row.status === "PROCESSING") && row.reread_due && !row.flag_reason) {
    // Claim the re-read (one caller per few seconds), then ask the provider and settle.
    const claimed = await db.$executeRaw`
      UPDATE payments SET updated_at = now()
       WHERE id = ${row.id}::uuid AND status IN ('PENDING', 'PROCESSING') AND updated_at <= now() - make_interval(secs => ${REREAD_SECONDS})`;
    if (claimed === 1) {
      try {
        const provider = await providerForPayment(row.tenant_id, row.provider as OnlineProviderId);
        const state = await provider.getPayment(row.provider_payment_id);
        await settlePayment({ paymentId: row.id, organizationId: row.tenant_id, state });
        row = (await read(options.paymentId))!;
      } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        console.warn(`[payments] status re-read ${row.id}: ${e.kind} ${e.message}`);
      }
    }
  }

  const paidStatuses = ["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"];
  const registrationTookIt = row.registration_status === "CONFIRMED" || row.registration_status === "CHECKED_IN";
  const state: PaymentStatusView["state"] = paidStatuses.includes(row.status)
    ? registrationTookIt && !row.refunded_all
      ? "paid"
      : "refunded"
    : row.status === "FAILED"
      ? "failed"
      : row.flag_reason
        ? "review"
        : "processing";
  const ticketPath = row.user_id ? `/dashboard/tickets/${row.registration_id}` : `/t/${guestTokenFor(row.registration_id)}`;
  return {
    paymentId: row.id,
    state,
    kind: row.kind,
    amountCents: row.amount_cents,
    currency: row.currency,
    failureReason: row.status === "FAILED" ? row.failure_reason : null,
    checkoutUrl: state === "processing" && row.checkout_open ? row.checkout_url : null,
    registrationId: row.registration_id,
    eventTitle: row.title,
    ticketPath,
    testMode: row.provider === "demo",
  };
}

export type TicketPaymentsView = {
  /** How this registration can be paid online now: a provider's checkout, the organizer's instructions, or not at all. */
  method: "online" | "manual" | "none";
  manualInstructions: string | null;
  testMode: boolean;
  /** The full price and, when the type takes a deposit, the deposit (ceil(price × percent / 100)). */
  priceCents: number;
  depositCents: number | null;
  /** An open checkout to continue. */
  open: { paymentId: string; checkoutUrl: string | null; returnPath: string } | null;
  payments: {
    id: string;
    kind: "FULL" | "PREPAYMENT" | "REMAINDER";
    status: string;
    provider: string;
    amountCents: number;
    currency: "RUB" | "USD" | "EUR";
    at: Date;
    failureReason: string | null;
    refundedCents: number;
  }[];
};

/** The payments of a registration for its owner's ticket page (owner or guest token; else NOT_FOUND). */
export async function getTicketPayments(options: { actor?: Actor | null; guestToken?: string | null; registrationId: string }): Promise<TicketPaymentsView> {
  const owner = await authorizePayer(db, options.registrationId, options);
  if (!owner) throw registrationErrors.notFound();
  const [rows, registration] = await Promise.all([
    db.$queryRaw<
      {
        id: string;
        kind: TicketPaymentsView["payments"][number]["kind"];
        status: string;
        provider: string;
        amount_cents: number;
        currency: TicketPaymentsView["payments"][number]["currency"];
        at: Date;
        failure_reason: string | null;
        checkout_url: string | null;
        checkout_open: boolean;
        refunded_cents: number;
      }[]
    >`
      SELECT p.id, p.kind, p.status::text AS status, p.provider, p.amount_cents, p.currency::text AS currency,
             coalesce(p.completed_at, p.created_at) AS at, p.failure_reason, p.checkout_url,
             (p.checkout_expires_at IS NULL OR p.checkout_expires_at > now()) AS checkout_open,
             coalesce((SELECT sum(f.amount_cents)::int FROM refunds f WHERE f.payment_id = p.id AND f.status = 'COMPLETED'), 0) AS refunded_cents
        FROM payments p
       WHERE p.registration_id = ${options.registrationId}::uuid AND p.tenant_id = ${owner.organizationId}::uuid
       ORDER BY p.created_at`,
    db.registration.findUniqueOrThrow({
      where: { id: options.registrationId },
      select: { currency: true, priceCents: true, ticketType: { select: { prepaymentPercent: true } } },
    }),
  ]);
  const route = registration.priceCents > 0 ? await paymentRouteFor(owner.organizationId, registration.currency).catch(() => null) : null;
  const openRow = rows.find((r) => r.status === "PENDING" || r.status === "PROCESSING");
  return {
    method: route?.kind ?? "none",
    manualInstructions: route?.kind === "manual" ? route.instructions : null,
    testMode: route?.kind === "online" && route.providerId === "demo",
    priceCents: registration.priceCents,
    depositCents: registration.ticketType.prepaymentPercent ? prepaymentAmount(registration.priceCents, registration.ticketType.prepaymentPercent) : null,
    open: openRow
      ? { paymentId: openRow.id, checkoutUrl: openRow.checkout_open ? openRow.checkout_url : null, returnPath: `/pay/return/${openRow.id}?k=${returnLinkKey(openRow.id)}` }
      : null,
    payments: rows
      .filter((r) => r.status !== "PENDING")
      .map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        provider: r.provider,
        amountCents: r.amount_cents,
        currency: r.currency,
        at: r.at,
        failureReason: r.failure_reason,
        refundedCents: r.refunded_cents,
      })),
  };
}
