// lib/payments/transitions.ts: the payment and refund status tables of the domain model's diagrams, and
// the path a provider's final answer walks. The database trigger is checked against the same table in
// tests/integration/payments-transitions-db.test.ts.
import { describe, expect, test } from "vitest";
import type { PaymentStatus } from "@/lib/generated/prisma/enums";
import {
  INITIAL_PAYMENT_STATUSES,
  OPEN_PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
  REFUNDABLE_PAYMENT_STATUSES,
  canPaymentTransition,
  canRefundTransition,
  paymentPath,
  statusAfterRefunds,
} from "@/lib/payments/transitions";

const ALL: PaymentStatus[] = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "REFUNDED", "PARTIALLY_REFUNDED"];

describe("PAYMENT_TRANSITIONS", () => {
  test("exactly the diagram's arrows", () => {
    const arrows = ALL.flatMap((from) => ALL.filter((to) => canPaymentTransition(from, to)).map((to) => `${from}→${to}`));
    expect(arrows.sort()).toEqual(
      [
        "PENDING→PROCESSING",
        "PROCESSING→COMPLETED",
        "PROCESSING→FAILED",
        "COMPLETED→PARTIALLY_REFUNDED",
        "COMPLETED→REFUNDED",
        "PARTIALLY_REFUNDED→PARTIALLY_REFUNDED",
        "PARTIALLY_REFUNDED→REFUNDED",
      ].sort(),
    );
  });

  test("FAILED and REFUNDED are final; a payment starts PENDING (online) or COMPLETED (manual)", () => {
    expect(PAYMENT_TRANSITIONS.FAILED).toEqual([]);
    expect(PAYMENT_TRANSITIONS.REFUNDED).toEqual([]);
    expect([...INITIAL_PAYMENT_STATUSES].sort()).toEqual(["COMPLETED", "PENDING"]);
    expect(OPEN_PAYMENT_STATUSES).toEqual(["PENDING", "PROCESSING"]);
    expect(REFUNDABLE_PAYMENT_STATUSES).toEqual(["COMPLETED", "PARTIALLY_REFUNDED"]);
  });

  test("refunds: PENDING → COMPLETED | FAILED only", () => {
    expect(canRefundTransition("PENDING", "COMPLETED")).toBe(true);
    expect(canRefundTransition("PENDING", "FAILED")).toBe(true);
    expect(canRefundTransition("COMPLETED", "FAILED")).toBe(false);
    expect(canRefundTransition("FAILED", "PENDING")).toBe(false);
  });
});

describe("paymentPath: a provider's final answer, one table step at a time", () => {
  test("success before 'processing' walks PENDING → PROCESSING → COMPLETED", () => {
    expect(paymentPath("PENDING", "COMPLETED")).toEqual(["PROCESSING", "COMPLETED"]);
    expect(paymentPath("PENDING", "FAILED")).toEqual(["PROCESSING", "FAILED"]);
    expect(paymentPath("PROCESSING", "COMPLETED")).toEqual(["COMPLETED"]);
    expect(paymentPath("PENDING", "REFUNDED")).toEqual(["PROCESSING", "COMPLETED", "REFUNDED"]);
  });

  test("no way back, none out of a final status, none to where it is", () => {
    expect(paymentPath("COMPLETED", "PENDING")).toBeNull();
    expect(paymentPath("FAILED", "COMPLETED")).toBeNull();
    expect(paymentPath("COMPLETED", "FAILED")).toBeNull();
    expect(paymentPath("COMPLETED", "COMPLETED")).toEqual([]);
  });

  test("every path found follows the table", () => {
    for (const from of ALL)
      for (const to of ALL) {
        const path = paymentPath(from, to);
        if (!path) continue;
        let at = from;
        for (const next of path) {
          expect(canPaymentTransition(at, next), `${from}→${to} via ${at}→${next}`).toBe(true);
          at = next;
        }
        expect(at).toBe(to);
      }
  });
});

describe("statusAfterRefunds", () => {
  test("nothing back → COMPLETED, some → PARTIALLY_REFUNDED, all → REFUNDED", () => {
    expect(statusAfterRefunds(1000, 0)).toBe("COMPLETED");
    expect(statusAfterRefunds(1000, 1)).toBe("PARTIALLY_REFUNDED");
    expect(statusAfterRefunds(1000, 999)).toBe("PARTIALLY_REFUNDED");
    expect(statusAfterRefunds(1000, 1000)).toBe("REFUNDED");
  });
});
