"use server";
import { headers } from "next/headers";
import { toActionError, type ActionResult } from "@/lib/errors";
import { requestPasswordReset } from "@/lib/identity/password-reset";
import { clientIp } from "@/lib/http/client-address";
import { forgotPasswordSchema } from "@/lib/validation/account";
import { fieldErrorsOf } from "@/lib/validation/identity";

/** Same `{ ok: true }` for every well-formed email (known or not); RATE_LIMITED when over the limits. */
export async function requestPasswordResetAction(input: unknown): Promise<ActionResult> {
  const parsed = forgotPasswordSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  }
  try {
    await requestPasswordReset({ email: parsed.data.email, ip: clientIp(new Headers(await headers())) });
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
