// The refund policy math (lib/registrations/refund-policy.ts, lib/payments/refunds.ts refundShare) and
// the policy's validation (lib/validation/events.ts).
import { describe, expect, test } from "vitest";
import { refundShare } from "@/lib/payments/refunds";
import { policyRefundPercent, refundCutoff } from "@/lib/registrations/refund-policy";
import { DEFAULT_EVENT_SETTINGS, eventSettingsSchema, readEventSettings } from "@/lib/validation/events";

const HOUR = 3_600_000;
const start = new Date("2027-03-15T16:00:00Z");

describe("refund policy", () => {
  test("default: until the start, 100 %", () => {
    const policy = readEventSettings({}).refundPolicy;
    expect(policy).toEqual({ untilHoursBeforeStart: 0, percent: 100 });
    expect(DEFAULT_EVENT_SETTINGS.refundPolicy).toEqual(policy);
    expect(policyRefundPercent(policy, start, new Date(start.getTime() - 1))).toBe(100);
    expect(policyRefundPercent(policy, start, start)).toBe(0);
  });

  test("the cut-off is N hours before the start; at and after it nothing comes back", () => {
    const policy = { untilHoursBeforeStart: 48, percent: 70 };
    expect(refundCutoff(policy, start).toISOString()).toBe("2027-03-13T16:00:00.000Z");
    expect(policyRefundPercent(policy, start, new Date(start.getTime() - 49 * HOUR))).toBe(70);
    expect(policyRefundPercent(policy, start, new Date(start.getTime() - 48 * HOUR))).toBe(0);
    expect(policyRefundPercent(policy, start, new Date(start.getTime() - 47 * HOUR))).toBe(0);
  });

  test("percent of what is left, rounded down to the minor unit", () => {
    expect(refundShare(99_999, 50)).toBe(49_999);
    expect(refundShare(1, 99)).toBe(0);
    expect(refundShare(150_000, 100)).toBe(150_000);
    expect(refundShare(150_000, 0)).toBe(0);
    expect(refundShare(0, 100)).toBe(0);
    expect(refundShare(-5, 100)).toBe(0);
  });

  test("validation: hours 0..8760 and percent 0..100, whole numbers; form strings accepted; a bad stored value falls back", () => {
    expect(eventSettingsSchema.parse({ refundPolicy: { untilHoursBeforeStart: "24", percent: "50" } }).refundPolicy).toEqual({ untilHoursBeforeStart: 24, percent: 50 });
    for (const [field, value, message] of [
      ["untilHoursBeforeStart", -1, "events.validation.refundHoursInvalid"],
      ["untilHoursBeforeStart", 8761, "events.validation.refundHoursTooLong"],
      ["untilHoursBeforeStart", 1.5, "events.validation.refundHoursInvalid"],
      ["percent", 101, "events.validation.refundPercentInvalid"],
      ["percent", "abc", "events.validation.refundPercentInvalid"],
    ] as const) {
      const result = eventSettingsSchema.safeParse({ refundPolicy: { [field]: value } });
      expect(result.success, `${field}=${value}`).toBe(false);
      expect(result.error!.issues[0]).toMatchObject({ path: ["refundPolicy", field], message });
    }
    expect(readEventSettings({ allowGuests: true, refundPolicy: { percent: 500 } })).toMatchObject({ allowGuests: true, refundPolicy: { untilHoursBeforeStart: 0, percent: 100 } });
  });
});
