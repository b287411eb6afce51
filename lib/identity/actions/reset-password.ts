"use server";
import { toActionError, type ActionResult } from "@/lib/errors";
import { resetPassword } from "@/lib/identity/password-reset";
import { resetPasswordSchema } from "@/lib/validation/account";
import { fieldErrorsOf } from "@/lib/validation/identity";

/** Sets the new password (and removes the Telegram link when asked); every session of the account is signed out (this browser's too). */
export async function resetPasswordAction(input: unknown): Promise<ActionResult> {
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  }
  try {
    await resetPassword({ token: parsed.data.token, password: parsed.data.password, unlinkTelegram: parsed.data.unlinkTelegram });
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
