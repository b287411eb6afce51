// What the Telegram page shows about the signed-in user's own account (read-only). Kept next to the
// page because only it and its status action need it; the writes (link token, unlink) are the
// services in lib/identity/telegram-link.ts behind /api/auth/telegram/link.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { mayLinkTelegram } from "@/lib/identity/telegram-link";

export type TelegramAccountView = {
  linked: boolean;
  telegramId: string | null;
  username: string | null;
  /** The bot can write to this user (a chat id is known; cleared when the bot was blocked). */
  canReceive: boolean;
  /** Email and password exist, so unlinking Telegram leaves a way to sign in. */
  canUnlink: boolean;
  /** Linking is allowed: a verified email or a Telegram-only account (lib/identity/telegram-link.ts). */
  canLink: boolean;
  /** The account's email (shown when it must be confirmed before linking). */
  email: string | null;
};

export async function getTelegramAccount({ userId }: { userId: string }): Promise<TelegramAccountView> {
  const user = await db.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: { telegramId: true, telegramUsername: true, telegramChatId: true, email: true, emailVerified: true, passwordHash: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  return {
    linked: !!user.telegramId,
    telegramId: user.telegramId,
    username: user.telegramUsername,
    canReceive: !!user.telegramChatId,
    canUnlink: !!user.email && !!user.passwordHash,
    canLink: mayLinkTelegram(user),
    email: user.email,
  };
}
