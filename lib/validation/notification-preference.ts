// The account's choice of channels for notices (docs/messages.md → "Who gets what, where"), shared by
// the account form, its action and the service (lib/identity/notification-preference.ts).
import { z } from "zod";

export const NOTIFICATION_PREFERENCES = ["AUTO", "TELEGRAM", "EMAIL", "BOTH"] as const;
export type NotificationPreferenceValue = (typeof NOTIFICATION_PREFERENCES)[number];

export const notificationPreferenceSchema = z.object({
  preference: z.enum(NOTIFICATION_PREFERENCES, { error: "notificationPrefs.validation.invalid" }),
});
export type NotificationPreferenceInput = z.input<typeof notificationPreferenceSchema>;
export type NotificationPreferenceData = z.output<typeof notificationPreferenceSchema>;
