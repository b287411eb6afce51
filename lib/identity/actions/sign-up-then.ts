// Shared by the join pages' actions: create an account (the same rules as /register), run the join
// step for the new user, then sign in and go on. Not a "use server" module itself.
import "server-only";
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { toActionError, type ActionResult } from "@/lib/errors";
import { EMAIL_PASSWORD_PROVIDER, signIn } from "@/lib/identity/auth";
import { safeCallbackUrl } from "@/lib/identity/callback-url";
import { SignInRateLimited } from "@/lib/identity/providers/email-password";
import { signUp } from "@/lib/identity/sign-up";
import { getLocale } from "@/lib/i18n/server";
import { clientIp } from "@/lib/http/client-address";
import { fieldErrorsOf } from "@/lib/validation/identity";
import { signUpSchema } from "@/lib/validation/identity";

/**
 * Signs up with `input`, then calls `afterSignUp(userId)` — which returns where to go (a same-origin
 * path) and must not throw for expected failures — then signs in and redirects there. Returns only
 * errors (success is a redirect).
 */
export async function signUpThen(input: unknown, afterSignUp: (userId: string) => Promise<string>): Promise<ActionResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  let userId: string;
  try {
    const user = await signUp({ ...parsed.data, ip: clientIp(new Headers(await headers())), locale: await getLocale() });
    userId = user.id;
  } catch (error) {
    return toActionError(error);
  }
  const next = safeCallbackUrl(await afterSignUp(userId));
  try {
    await signIn(EMAIL_PASSWORD_PROVIDER, { email: parsed.data.email, password: parsed.data.password, redirectTo: next });
  } catch (error) {
    if (error instanceof SignInRateLimited) return { ok: false, code: "RATE_LIMITED", message: "errors.rateLimited" };
    if (error instanceof AuthError) return toActionError(error);
    throw error;
  }
  return { ok: true };
}
