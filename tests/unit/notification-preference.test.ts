import { describe, expect, test } from "vitest";
import { eventSchema } from "@/lib/validation/events";
import { notificationPreferenceSchema } from "@/lib/validation/notification-preference";

describe("notification preference schema", () => {
  test("accepts the four choices, refuses anything else with its message", () => {
    for (const preference of ["AUTO", "TELEGRAM", "EMAIL", "BOTH"]) expect(notificationPreferenceSchema.parse({ preference })).toEqual({ preference });
    for (const preference of ["auto", "SMS", "", null, undefined, 1]) {
      const result = notificationPreferenceSchema.safeParse({ preference });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toBe("notificationPrefs.validation.invalid");
    }
  });
});

describe("event form: reminders switch", () => {
  const base = { title: "Встреча", startsAt: "2031-06-01T19:00", locationType: "OFFLINE", locationAddress: "Москва" };
  test("on by default, off when unticked, a non-boolean refused", () => {
    expect(eventSchema.parse(base).remindersEnabled).toBe(true);
    expect(eventSchema.parse({ ...base, remindersEnabled: false }).remindersEnabled).toBe(false);
    expect(eventSchema.safeParse({ ...base, remindersEnabled: "yes" }).success).toBe(false);
  });
});
