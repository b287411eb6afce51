import "server-only";
// The class next-auth re-exports; imported from @auth/core so plain Node (tests) can load this module.
import { CredentialsSignin } from "@auth/core/errors";
import { isAppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-address";
import { limitSignIn } from "../account";
import { verifyCredentials } from "../credentials";
import { sessionCredentialsProvider } from "./session-provider";

export const EMAIL_PASSWORD_PROVIDER = "credentials";

/** The `code` of a sign-in refused by the rate limit (the action turns it into RATE_LIMITED). */
export const SIGN_IN_RATE_LIMITED_CODE = "rate_limited";

/** Too many sign-in attempts from this address or for this email: nothing was checked. */
export class SignInRateLimited extends CredentialsSignin {
  code = SIGN_IN_RATE_LIMITED_CODE;
}

const text = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * Email + password (with lockout). Any failure is the same CredentialsSignin error, except a
 * rate-limited attempt (SignInRateLimited), which is refused before the password is looked at. The
 * limits live here, not in the form's action, because Auth.js also accepts credentials posted
 * straight to /api/auth/callback/credentials.
 */
export const emailPasswordProvider = sessionCredentialsProvider({
  id: EMAIL_PASSWORD_PROVIDER,
  name: "Email",
  credentials: { email: { type: "email" }, password: { type: "password" } },
  authenticate: async (credentials, request) => {
    const email = text(credentials.email);
    try {
      await limitSignIn({ ip: clientIp(request.headers), email });
    } catch (error) {
      if (isAppError(error) && error.code === "RATE_LIMITED") throw new SignInRateLimited();
      throw error;
    }
    return (await verifyCredentials({ email, password: text(credentials.password) }))?.id ?? null;
  },
});
