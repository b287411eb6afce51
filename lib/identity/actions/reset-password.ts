"use server";
// Setting a new password from a reset link (the action edge, lib/http/action.ts).
import { action } from "@/lib/http/action";
import { resetPassword } from "@/lib/identity/password-reset";
import { resetPasswordSchema } from "@/lib/validation/account";

/** Sets the new password (and removes the Telegram link when asked); every session of the account is signed out (this browser's too). */
export const resetPasswordAction = action(resetPasswordSchema, async ({ token, password, unlinkTelegram }) => {
  await resetPassword({ token, password, unlinkTelegram });
});
