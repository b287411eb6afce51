// The account's notification preference (AUTO / TELEGRAM / EMAIL / BOTH): read with what the account
// page needs to explain it (is Telegram linked, is there an email, did it bounce), and saved for the
// signed-in user only. Like the language and the profile, it is not audited (account security changes
// are). The routing rule that reads it is SQL notification_channels() (docs/messages.md).
import "server-only";
import { db, type DbClient } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { notificationPreferenceSchema, type NotificationPreferenceValue } from "@/lib/validation/notification-preference";

export type NotificationPreferenceView = {
  preference: NotificationPreferenceValue;
  email: string | null;
  hasTelegram: boolean;
  /** When mail to `email` last bounced ("no such mailbox"); null while it is deliverable. */
  emailBouncedAt: Date | null;
};

export async function getNotificationPreference({ userId }: { userId: string }, tx: DbClient = db): Promise<NotificationPreferenceView> {
  const user = await tx.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: { notificationPreference: true, email: true, telegramChatId: true, emailBouncedAt: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  return { preference: user.notificationPreference, email: user.email, hasTelegram: user.telegramChatId !== null, emailBouncedAt: user.emailBouncedAt };
}

/** Saves the preference of `userId` (the signed-in user; no one else's). VALIDATION on a value not in the list. */
export async function updateNotificationPreference(
  { userId, preference }: { userId: string; preference: unknown },
  tx: DbClient = db,
): Promise<NotificationPreferenceValue> {
  const parsed = notificationPreferenceSchema.safeParse({ preference });
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  const { count } = await tx.user.updateMany({ where: { id: userId, deletedAt: null }, data: { notificationPreference: parsed.data.preference } });
  if (count === 0) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  return parsed.data.preference;
}
