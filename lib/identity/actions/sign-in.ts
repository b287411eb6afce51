// Signing in and up from server actions (the auth forms and the join pages). Not a "use server"
// module itself: the actions call these inside the action edge (lib/http/action.ts), which answers
// the AppErrors thrown here and lets Auth.js's redirect on success pass through.
import "server-only";
import { AuthError } from "next-auth";
import { AppError } from "@/lib/errors";
import { EMAIL_PASSWORD_PROVIDER, signIn } from "@/lib/identity/auth";
import { safeCallbackUrl } from "@/lib/identity/callback-url";
import { SignInRateLimited } from "@/lib/identity/providers/email-password";
import { signUp } from "@/lib/identity/sign-up";
import type { Locale } from "@/lib/i18n/config";
import type { SignUpData } from "@/lib/validation/identity";

/**
 * Auth.js's sign-in: a redirect on success (thrown: it passes the edge). Wrong email or password, a
 * locked account → UNAUTHENTICATED auth.invalidCredentials; the `sign-in` limit → RATE_LIMITED (429):
 * nothing was checked or changed.
 */
export async function signInWithPassword(credentials: { email: string; password: string }, redirectTo: string): Promise<never> {
  try {
    await signIn(EMAIL_PASSWORD_PROVIDER, { ...credentials, redirectTo });
  } catch (error) {
    if (error instanceof SignInRateLimited) throw new AppError("RATE_LIMITED", "account.errors.signInLimited");
    if (error instanceof AuthError) throw new AppError("UNAUTHENTICATED", "auth.invalidCredentials");
    throw error;
  }
  // signIn() with a redirectTo always throws (a redirect on success).
  throw new AppError("UNAUTHENTICATED", "auth.invalidCredentials");
}

/**
 * Signs up with `input` (the `sign-up` limit per address is the service's), then calls
 * `afterSignUp(userId)` — which returns where to go (a same-origin path) and must not throw for
 * expected failures — then signs in and redirects there.
 */
export async function signUpThen(
  input: SignUpData,
  { ip, locale }: { ip: string; locale: Locale },
  afterSignUp: (userId: string) => Promise<string>,
): Promise<never> {
  const user = await signUp({ ...input, ip, locale });
  const next = safeCallbackUrl(await afterSignUp(user.id));
  return signInWithPassword({ email: input.email, password: input.password }, next);
}
