"use server";
// The Telegram page's live status (the action edge, lib/http/action.ts): polled while a link token is
// open, so the page shows the linked account as soon as the bot has used the token.
import { z } from "zod";
import { action } from "@/lib/http/action";
import { getTelegramAccount } from "@/lib/identity/telegram-account";

export const telegramAccountStatusAction = action(
  z.tuple([]),
  async (_, { user }) => ({ account: await getTelegramAccount({ userId: user.id }) }),
  { session: "required" },
);
