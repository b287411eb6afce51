// The pure half of REST v1's registrations / check-ins / payments (lib/api/v1/schemas-b.ts): the keys a
// payment service stores, cursor positions, and the mappers' output against the very schemas the OpenAPI
// document publishes.
import { describe, expect, test } from "vitest";
import { z } from "zod";
import {
  apiCheckIn,
  apiPayment,
  apiRegistration,
  apiTicket,
  createCheckInBody,
  createRegistrationBody,
  fromKey,
  keyPosition,
  serviceKeyOf,
  toApiCheckIn,
  toApiPayment,
  toApiRegistration,
  toApiTicket,
  toKey,
} from "@/lib/api/v1/schemas-b";

const ID = "6f1c1e64-5d7a-4f43-9d3c-0b7f6f0b9a11";
const T = new Date("2026-12-07T10:00:00.123Z");

describe("serviceKeyOf", () => {
  test("the same token, operation and key → the same RFC 9562 UUID; anything else → another", () => {
    const a = serviceKeyOf("tok", "markRegistrationPaid", "pay-1");
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(serviceKeyOf("tok", "markRegistrationPaid", "pay-1")).toBe(a);
    expect(serviceKeyOf("tok2", "markRegistrationPaid", "pay-1")).not.toBe(a);
    expect(serviceKeyOf("tok", "createPaymentRefund:x", "pay-1")).not.toBe(a);
    expect(serviceKeyOf("tok", "markRegistrationPaid", "pay-2")).not.toBe(a);
    const fresh = [serviceKeyOf("tok", "op", null), serviceKeyOf("tok", "op", null)];
    expect(fresh[0]).not.toBe(fresh[1]);
    for (let i = 0; i < 200; i++) expect(z.uuid().safeParse(serviceKeyOf("t", "o", `k${i}`)).success).toBe(true);
  });
});

describe("cursor positions", () => {
  test("a key survives the round trip through a cursor position; a malformed position is refused", () => {
    const position = fromKey({ at: T, id: ID });
    expect(keyPosition.parse(position)).toEqual([T.toISOString(), ID]);
    expect(toKey(keyPosition.parse(position))).toEqual({ at: T, id: ID });
    expect(keyPosition.safeParse(["yesterday", ID]).success).toBe(false);
    expect(keyPosition.safeParse([T.toISOString(), "1 OR 1=1"]).success).toBe(false);
  });
});

describe("bodies", () => {
  test("unknown fields are refused (strict objects)", () => {
    expect(createRegistrationBody.safeParse({ ticketTypeId: ID, firstName: "A", email: "a@b.c", admin: true }).success).toBe(false);
    expect(createCheckInBody.safeParse({ code: "ABC", force: true }).success).toBe(false);
    expect(createCheckInBody.safeParse({ code: "ABC" }).success).toBe(true);
  });
});

describe("mappers answer what the document says", () => {
  test("registration, check-in, payment and ticket", () => {
    const registration = toApiRegistration(ID, {
      id: ID,
      confirmationCode: "ABCD2345",
      status: "RESERVED",
      expired: false,
      firstName: "Анна",
      lastName: null,
      email: "a@example.com",
      isGuest: true,
      ticketTypeId: ID,
      ticketTypeName: "Standard",
      priceCents: 1000,
      currency: "RUB",
      paidCents: 0,
      refundDueCents: 0,
      prepayment: { status: "PARTIAL", prepaidCents: 300, remainingCents: 700, dueDate: T },
      amountDue: { kind: "FULL", amountCents: 1000, remainingCents: 0, fullPriceCents: 1000 },
      customFields: { size: "M" },
      expiresAt: T,
      createdAt: T,
      updatedAt: T,
      confirmedAt: null,
      cancelledAt: null,
      cancellationReason: null,
      checkedInAt: null,
    });
    expect(apiRegistration.parse(registration)).toMatchObject({ eventId: ID, expiresAt: T.toISOString(), prepayment: { dueDate: T.toISOString() } });

    const checkIn = toApiCheckIn({ id: ID, registrationId: ID, code: "ABCD2345", firstName: "A", lastName: null, ticketTypeId: ID, method: "MANUAL", checkedInAt: T, createdAt: T, checkedInByName: null });
    expect(apiCheckIn.parse(checkIn).confirmationCode).toBe("ABCD2345");

    const payment = toApiPayment({
      id: ID,
      status: "PARTIALLY_REFUNDED",
      provider: "manual",
      isTest: false,
      kind: "FULL",
      amountCents: 1000,
      refundedCents: 100,
      currency: "EUR",
      providerPaymentId: null,
      flagReason: null,
      failureReason: null,
      registration: { id: ID, code: "ABCD2345" },
      event: { id: ID },
      createdAt: T,
      updatedAt: T,
      completedAt: T,
      refunds: [{ id: ID, status: "COMPLETED", amountCents: 100, reason: null, failureReason: null, createdAt: T, completedAt: null }],
    });
    expect(apiPayment.parse(payment).refunds[0]).toMatchObject({ createdAt: T.toISOString(), completedAt: null });

    const ticket = toApiTicket({
      id: ID,
      status: "CONFIRMED",
      confirmationCode: "ABCD2345",
      qrPayload: "AQ1.x",
      ticketTypeName: "Standard",
      priceCents: 0,
      currency: "RUB",
      expiresAt: null,
      event: { id: ID, title: "E", startsAt: T, endsAt: null, timezone: "Europe/Moscow", organizationName: "O" },
    });
    expect(apiTicket.parse(ticket).event.startsAt).toBe(T.toISOString());
    expect(apiRegistration.safeParse({ ...registration, createdAt: "yesterday" }).success).toBe(false);
  });
});
