// "Pay": the participant starts (or resumes) an online checkout (docs/payments.md).
//
//   1. authorize: the registration's owner (signed in) or its guest ticket token; anyone else: not found;
//   2. what is paid comes from the server only: the full price, the prepayment (ceil(price × percent)),
//      or the remainder (prepayments.remaining_cents) — never an amount, a currency or a URL from input;
//   3. route (lib/payments/accounts paymentRouteFor): the organization's provider for the currency, or
//      the manual instructions (no online payment), or none;
//   4. one transaction, the registration locked: an open payment (PENDING/PROCESSING, at most one by a
//      partial unique index) is resumed; else the payment is written PENDING with a new idempotency key and
//      exactly the request the provider will get (provider_metadata.request, so a repeat sends the same
//      body), and a RESERVED hold is extended to at least now + PAYMENTS_CHECKOUT_MINUTES;
//   5. provider.createPayment with that key; its answer goes through the one settle path (PENDING →
//      PROCESSING with the provider id and the checkout URL). An unknown outcome (timeout, 5xx) leaves the
//      payment PENDING: the reconciliation (reconcile.ts) repeats the call with the same key; a refusal
//      fails the payment (the participant may press Pay again).
import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Prisma, TX_PROFILES } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, uniqueViolation } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { isUuid, type Actor } from "@/lib/permissions";
import { hashGuestToken, isTokenShaped } from "@/lib/registrations";
import { registrationErrors } from "@/lib/registrations/shared";
import { paymentRouteFor, providerForPayment } from "./accounts";
import { paymentErrors, prepaymentAmount } from "./manual";
import { ProviderError, type CreatePaymentInput, type OnlineProviderId, type ProviderPayment } from "./providers/types";
import { returnLinkKey } from "./return-link";
import { loadPayable, settlePayment, type PayableRow, type PaymentKind } from "./settle";

type Tx = Prisma.TransactionClient;

export type CheckoutPurpose = "full" | "prepayment" | "remainder";

export type CheckoutResult =
  /** Send the buyer to the provider's checkout. */
  | { kind: "redirect"; paymentId: string; redirectUrl: string }
  /** The organization takes this currency by hand only: show its instructions. */
  | { kind: "manual"; instructions: string | null }
  /** The provider did not answer: the payment waits (the reconciliation repeats the call); try again shortly. */
  | { kind: "pending"; paymentId: string };

export const checkoutErrors = {
  noPaymentMethod: () => new AppError("CONFLICT", "errors.noPaymentMethod"),
  providerUnavailable: () => new AppError("CONFLICT", "errors.paymentProviderUnavailable"),
  noPrepayment: () => new AppError("CONFLICT", "errors.noPrepayment"),
};

/** Our return page for a payment (never taken from input), with the key that lets the buyer see it. */
export function paymentReturnUrl(paymentId: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/pay/return/${paymentId}?k=${returnLinkKey(paymentId)}`;
}

export function checkoutMinutes(): number {
  return env().PAYMENTS_CHECKOUT_MINUTES;
}

/** Who may pay (or see the payments of) a registration: its owner, or whoever holds its guest ticket token. */
export async function authorizePayer(
  tx: Tx | typeof db,
  registrationId: string,
  who: { actor?: Actor | null; guestToken?: string | null },
): Promise<{ organizationId: string } | null> {
  if (!isUuid(registrationId)) return null;
  const rows = await tx.$queryRaw<{ user_id: string | null; guest_token_hash: string | null; tenant_id: string }[]>`
    SELECT user_id, guest_token_hash, tenant_id FROM registrations WHERE id = ${registrationId}::uuid`;
  const r = rows[0];
  if (!r) return null;
  if (who.actor && r.user_id && r.user_id === who.actor.userId) return { organizationId: r.tenant_id };
  if (who.guestToken && isTokenShaped(who.guestToken) && r.guest_token_hash && r.guest_token_hash === hashGuestToken(who.guestToken)) {
    return { organizationId: r.tenant_id };
  }
  return null;
}

/** What the purpose asks of this registration now; throws the participant's error when it cannot be paid. */
function planFor(r: PayableRow, purpose: CheckoutPurpose): { kind: PaymentKind; amountCents: number } {
  if (purpose === "remainder") {
    if (!r.prepayment_id || r.prepayment_status !== "PARTIAL" || !r.remaining_cents) throw paymentErrors.noRemainingPayment();
    if (r.status !== "CONFIRMED" && r.status !== "CHECKED_IN") throw paymentErrors.notPayable();
    return { kind: "REMAINDER", amountCents: r.remaining_cents };
  }
  if (r.status === "CONFIRMED" || r.status === "CHECKED_IN") throw paymentErrors.alreadyPaid();
  if (r.status === "EXPIRED" || (r.status === "RESERVED" && r.expired)) throw registrationErrors.reservationExpired();
  if (r.status !== "RESERVED" && r.status !== "PENDING") throw paymentErrors.notPayable();
  if (r.price_cents <= 0) throw paymentErrors.alreadyPaid();
  if (purpose === "prepayment") {
    if (!r.prepayment_percent) throw checkoutErrors.noPrepayment();
    return { kind: "PREPAYMENT", amountCents: prepaymentAmount(r.price_cents, r.prepayment_percent) };
  }
  return { kind: "FULL", amountCents: r.price_cents };
}

type OpenPayment = {
  id: string;
  provider: string;
  status: "PENDING" | "PROCESSING";
  provider_payment_id: string | null;
  checkout_url: string | null;
  checkout_open: boolean;
};

async function openPaymentOf(tx: Tx | typeof db, registrationId: string): Promise<OpenPayment | undefined> {
  const rows = await tx.$queryRaw<OpenPayment[]>`
    SELECT id, provider, status::text AS status, provider_payment_id, checkout_url,
           (checkout_expires_at IS NULL OR checkout_expires_at > now()) AS checkout_open
      FROM payments WHERE registration_id = ${registrationId}::uuid AND status IN ('PENDING', 'PROCESSING')`;
  return rows[0];
}

/** The request stored with the payment: the reconciliation repeats exactly it. */
type StoredRequest = Omit<CreatePaymentInput, "expiresAt"> & { expiresAt: string };

export function storedCreateInput(metadata: unknown): CreatePaymentInput | null {
  const request = (metadata as { request?: StoredRequest } | null)?.request;
  if (!request || typeof request.paymentId !== "string") return null;
  return { ...request, expiresAt: new Date(request.expiresAt) };
}

/**
 * Starts or resumes the checkout of a registration (see the file comment). `actor` (signed in) or
 * `guestToken` (the private ticket link) must own the registration; otherwise it is "not found".
 */
export async function startCheckout(options: {
  actor?: Actor | null;
  guestToken?: string | null;
  registrationId: string;
  purpose: CheckoutPurpose;
  locale: Locale;
}): Promise<CheckoutResult> {
  const owner = await authorizePayer(db, options.registrationId, options);
  if (!owner) throw registrationErrors.notFound();
  const first = await loadPayable(db as unknown as Tx, options.registrationId);
  if (!first) throw registrationErrors.notFound();

  // Resume an open checkout before anything else (pressing Pay twice, or Pay after a return).
  const open = await openPaymentOf(db, first.id);
  if (open) {
    const resumed = await resume(first.organization_id, open);
    if (resumed) return resumed;
  }
  planFor(first, options.purpose);
  const route = await paymentRouteFor(first.organization_id, first.currency);
  if (!route) throw checkoutErrors.noPaymentMethod();
  if (route.kind === "manual") return { kind: "manual", instructions: route.instructions };

  const minutes = checkoutMinutes();
  const written = await db.$transaction(async (tx) => {
    const r = await loadPayable(tx, options.registrationId, { lock: true });
    if (!r) throw registrationErrors.notFound();
    const again = await openPaymentOf(tx, r.id);
    if (again) return { resume: again } as const;
    const plan = planFor(r, options.purpose);
    const paymentId = randomUUID();
    const expiresAt = new Date(r.now.getTime() + minutes * 60_000);
    const request: CreatePaymentInput = {
      paymentId,
      idempotencyKey: randomUUID(),
      amountCents: plan.amountCents,
      currency: r.currency,
      description: describe(r, plan.kind, options.locale),
      returnUrl: paymentReturnUrl(paymentId),
      expiresAt,
      metadata: { registration_id: r.id, organization_id: r.organization_id, kind: plan.kind },
    };
    try {
      await tx.payment.create({
        data: {
          id: paymentId,
          organizationId: r.organization_id,
          registrationId: r.id,
          provider: route.providerId,
          status: "PENDING",
          kind: plan.kind,
          amountCents: plan.amountCents,
          currency: r.currency,
          idempotencyKey: request.idempotencyKey,
          checkoutExpiresAt: expiresAt,
          providerMetadata: { kind: plan.kind, request: { ...request, expiresAt: expiresAt.toISOString() } },
        },
      });
    } catch (e) {
      if (uniqueViolation(e) === "payments_one_open_per_registration") throw registrationErrors.conflict();
      throw e;
    }
    // The hold lasts while the buyer pays (docs/payments.md "Holding the seat"): never shortened.
    if (r.status === "RESERVED") {
      await tx.$executeRaw`
        UPDATE registrations SET expires_at = greatest(expires_at, ${expiresAt}::timestamptz), updated_at = now()
         WHERE id = ${r.id}::uuid AND status = 'RESERVED' AND expires_at > now()`;
    }
    return { request } as const;
  }, TX_PROFILES.standard);

  if ("resume" in written && written.resume) {
    const resumed = await resume(first.organization_id, written.resume);
    if (resumed) return resumed;
    return { kind: "pending", paymentId: written.resume.id };
  }
  if (!("request" in written) || !written.request) throw registrationErrors.conflict();
  return callProvider(first.organization_id, route.providerId, written.request);
}

function describe(r: PayableRow, kind: PaymentKind, locale: Locale): string {
  const what = kind === "PREPAYMENT" ? (locale === "en" ? "Prepayment" : "Предоплата") : kind === "REMAINDER" ? (locale === "en" ? "Remainder" : "Доплата") : "";
  const text = `${what ? `${what}: ` : ""}${r.title} — ${r.ticket_type_name} (${r.confirmation_code})`;
  return text.length > 128 ? `${text.slice(0, 127)}…` : text;
}

/** An open payment's checkout, if the buyer can still use it; null when it is over (then a new one may start). */
async function resume(organizationId: string, open: OpenPayment): Promise<CheckoutResult | null> {
  if (open.status === "PROCESSING" && open.checkout_url && open.checkout_open) {
    return { kind: "redirect", paymentId: open.id, redirectUrl: open.checkout_url };
  }
  if (open.status === "PENDING") {
    // Our row exists but the provider's answer was lost: repeat the call with the same key now.
    const stored = await db.payment.findUnique({ where: { id: open.id }, select: { providerMetadata: true } });
    const request = storedCreateInput(stored?.providerMetadata);
    if (!request) return { kind: "pending", paymentId: open.id };
    return callProvider(organizationId, open.provider as OnlineProviderId, request);
  }
  // PROCESSING whose checkout closed: ask the provider what became of it, settle, then let a new one start.
  if (open.provider_payment_id) {
    const provider = await providerForPayment(organizationId, open.provider as OnlineProviderId);
    const state = await provider.getPayment(open.provider_payment_id).catch((e: unknown) => {
      if (e instanceof ProviderError) return null;
      throw e;
    });
    if (state) {
      const settled = await settlePayment({ paymentId: open.id, organizationId, state });
      if (settled.paymentStatus === "FAILED") return null;
      if (settled.paymentStatus === "COMPLETED") throw paymentErrors.alreadyPaid();
    }
  }
  return { kind: "pending", paymentId: open.id };
}

/** provider.createPayment with the stored request, then the settle path; an unknown outcome leaves it PENDING. */
export async function callProvider(organizationId: string, providerId: OnlineProviderId, request: CreatePaymentInput): Promise<CheckoutResult> {
  let state: ProviderPayment;
  try {
    const provider = await providerForPayment(organizationId, providerId);
    state = await provider.createPayment(request);
  } catch (e) {
    if (e instanceof ProviderError && e.kind !== "unknown") {
      await settlePayment({
        paymentId: request.paymentId,
        organizationId,
        state: failedState(request, `${e.kind}: ${e.message}`),
      });
      console.warn(`[payments] checkout ${request.paymentId} refused by ${providerId}: ${e.kind} ${e.message}`);
      throw checkoutErrors.providerUnavailable();
    }
    if (!(e instanceof ProviderError)) console.error(`[payments] checkout ${request.paymentId}: ${providerId} call failed`, e);
    return { kind: "pending", paymentId: request.paymentId };
  }
  const settled = await settlePayment({ paymentId: request.paymentId, organizationId, state });
  if (state.status === "pending" && state.checkoutUrl) return { kind: "redirect", paymentId: request.paymentId, redirectUrl: state.checkoutUrl };
  if (settled.paymentStatus === "FAILED") throw checkoutErrors.providerUnavailable();
  // Already decided (e.g. an instant success): the return page shows it.
  return { kind: "redirect", paymentId: request.paymentId, redirectUrl: request.returnUrl };
}

/** The provider refused to create the payment: it is failed (nothing was charged). */
function failedState(request: CreatePaymentInput, reason: string): ProviderPayment {
  return {
    providerPaymentId: "",
    status: "failed",
    amountCents: request.amountCents,
    currency: request.currency,
    checkoutUrl: null,
    refundedCents: 0,
    failureReason: reason.slice(0, 300),
    paymentId: request.paymentId,
    metadata: {},
  };
}
