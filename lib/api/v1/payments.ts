// REST API v1: payments and refunds (docs/api.md). Reading: scope registrations:read (payments.view on
// the event's organization); refunding: registrations:write (registrations.manage; the refund service's
// own rules: what is left to refund, the provider or a manual refund). Another organization's event or
// payment is 404.
//
//   GET  /events/{eventId}/payments        list with their refunds (status, updatedSince; cursor)
//   POST /payments/{paymentId}/refunds     refund a payment (default: what is left)
import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { cursorFingerprint, decodeCursor, encodeCursor, listResponse, objectResponse, paginationShape } from "@/lib/api/pagination";
import { refundPaymentAsOrganizer } from "@/lib/payments";
import { listPaymentsAfter } from "@/lib/payments/report";
import { PAYMENT_STATUS_VALUES, apiPayment, apiRefundCreated, fromKey, idParam, keyPosition, refundBody, serviceKeyOf, toApiPayment, toKey } from "./schemas-b";

export const listEventPayments = defineOperation({
  id: "listEventPayments",
  method: "GET",
  path: "/events/{eventId}/payments",
  tag: "Payments",
  scope: "registrations:read",
  summary: "List an event's payments and refunds",
  description: "Oldest first, in cursor pages; with `updatedSince`, only payments changed since, in the order they changed.",
  params: z.object({ eventId: idParam("The event's id.") }),
  query: z.object({ ...paginationShape, status: z.enum(PAYMENT_STATUS_VALUES).optional() }),
  response: listResponse(apiPayment),
  handler: async ({ actor, params, query }) => {
    const filters = { status: query.status ?? null, updatedSince: query.updatedSince ?? null };
    const fingerprint = cursorFingerprint("listEventPayments", params.eventId, filters);
    const after = query.cursor ? toKey(decodeCursor(query.cursor, fingerprint, keyPosition)) : null;
    const page = await listPaymentsAfter({ actor, eventId: params.eventId, ...filters, after, limit: query.limit });
    return { ok: true as const, data: page.rows.map(toApiPayment), nextCursor: page.next ? encodeCursor(fingerprint, fromKey(page.next)) : null };
  },
});

export const createPaymentRefund = defineOperation({
  id: "createPaymentRefund",
  method: "POST",
  path: "/payments/{paymentId}/refunds",
  tag: "Payments",
  scope: "registrations:write",
  summary: "Refund a payment",
  description:
    "Refunds `amountCents` (default: all that is left) with an optional reason. An online payment is refunded through its provider (the refund is PENDING until the provider confirms: see the payment's refunds), a manual one is recorded for the organizer to return by hand. Nothing left / not refundable → 409.",
  params: z.object({ paymentId: idParam("The payment's id.") }),
  body: refundBody,
  response: objectResponse(apiRefundCreated),
  status: 201,
  handler: async ({ actor, params, body, principal, idempotencyKey }) => {
    const { refundId } = await refundPaymentAsOrganizer({
      actor,
      paymentId: params.paymentId,
      amountCents: body.amountCents ?? null,
      reason: body.reason ?? null,
      idempotencyKey: serviceKeyOf(principal.tokenId, `createPaymentRefund:${params.paymentId}`, idempotencyKey),
    });
    return { ok: true as const, data: { refundId, paymentId: params.paymentId } };
  },
});
