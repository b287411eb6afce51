"use server";
// The Telegram page's live status: polled while a link token is open, so the page shows the linked
// account as soon as the bot has used the token.
import { toActionError, type ActionResult } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { getTelegramAccount, type TelegramAccountView } from "@/lib/identity/telegram-account";

export async function telegramAccountStatusAction(): Promise<ActionResult<{ account: TelegramAccountView }>> {
  try {
    const user = await requireUser();
    return { ok: true, account: await getTelegramAccount({ userId: user.id }) };
  } catch (error) {
    return toActionError(error);
  }
}

