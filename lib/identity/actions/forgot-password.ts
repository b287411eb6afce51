"use server";
// "Forgot password" (the action edge, lib/http/action.ts); the `password-reset` limits per address and
// per email are the service's (it is callable from anywhere).
import { action } from "@/lib/http/action";
import { requestPasswordReset } from "@/lib/identity/password-reset";
import { forgotPasswordSchema } from "@/lib/validation/account";

/** Same `{ ok: true }` for every well-formed email (known or not); RATE_LIMITED when over the limits. */
export const requestPasswordResetAction = action(forgotPasswordSchema, async ({ email }, { ip }) => {
  await requestPasswordReset({ email, ip: await ip() });
});
