"use server";
// Thin entry points of the auth forms: parse with the shared schema, call the service / Auth.js,
// answer with an ActionResult whose messages are message keys (translated by the form).
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { toActionError, type ActionResult } from "@/lib/errors";
import { EMAIL_PASSWORD_PROVIDER, signIn, signOut } from "@/lib/identity/auth";
import { safeCallbackUrl } from "@/lib/identity/callback-url";
import { SignInRateLimited } from "@/lib/identity/providers/email-password";
import { signUp } from "@/lib/identity/sign-up";
import { getLocale } from "@/lib/i18n/server";
import { clientIp } from "@/lib/http/client-address";
import { fieldErrorsOf, signInSchema, signUpSchema } from "@/lib/validation/identity";

// The forms' result: `{ ok: true }` or an error with field message keys.
export type AuthFormResult = ActionResult<object>;

const INVALID_CREDENTIALS: AuthFormResult = { ok: false, code: "UNAUTHENTICATED", message: "auth.invalidCredentials" };
/** Too many attempts (429): nothing was checked or changed. */
const SIGN_IN_LIMITED: AuthFormResult = { ok: false, code: "RATE_LIMITED", message: "account.errors.signInLimited" };

/** Signs in; on success Auth.js redirects (to the safe callbackUrl), so this only ever returns errors. */
export async function signInAction(input: unknown, callbackUrl?: unknown): Promise<AuthFormResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  }
  try {
    await signIn(EMAIL_PASSWORD_PROVIDER, { ...parsed.data, redirectTo: safeCallbackUrl(callbackUrl) });
  } catch (error) {
    // Only Auth.js errors (wrong email or password, locked account, rate limit) are answered here;
    // the redirect thrown on success must propagate.
    if (error instanceof SignInRateLimited) return SIGN_IN_LIMITED;
    if (error instanceof AuthError) return INVALID_CREDENTIALS;
    throw error;
  }
  return INVALID_CREDENTIALS;
}

/** Creates the account, signs it in and redirects to the safe callbackUrl (else the dashboard). */
export async function signUpAction(input: unknown, callbackUrl?: unknown): Promise<AuthFormResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(parsed.error) };
  }
  try {
    await signUp({ ...parsed.data, ip: clientIp(new Headers(await headers())), locale: await getLocale() });
  } catch (error) {
    return toActionError(error);
  }
  try {
    await signIn(EMAIL_PASSWORD_PROVIDER, {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallbackUrl(callbackUrl),
    });
  } catch (error) {
    if (error instanceof SignInRateLimited) return SIGN_IN_LIMITED;
    if (error instanceof AuthError) return toActionError(error);
    throw error;
  }
  return { ok: true };
}

/** Signs out (revokes the session row) and goes to the landing page. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
