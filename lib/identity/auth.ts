// Auth.js v5. JWT session strategy backed by a server-side session row:
// - every sign-in creates a UserSession (see providers/session-provider.ts); the encrypted JWT cookie
//   carries only its id (`sid`) and the user id;
// - on every request the jwt callback checks the row (not revoked, not expired, user not deleted) and
//   loads the user fresh; otherwise it returns null and the request is signed out;
// - sign-out revokes the row. Password reset / "sign out other sessions" revoke rows
//   (revokeUserSessions in user-sessions.ts) and the affected cookies stop working at once.
import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { authSecret } from "@/lib/env";
import { AFTER_SIGN_IN_PATH, SESSION_MAX_AGE_SECONDS, SIGN_IN_PATH } from "./constants";
import { providers } from "./providers";
import { resolveSession, revokeSession } from "./user-sessions";
import type { SessionUser } from "./types";

// The user resolved by the jwt callback, handed to the session callback of the same call without
// writing it into the cookie (Auth.js passes the very token object the jwt callback returned).
const resolvedUsers = new WeakMap<JWT, SessionUser>();

function config(): NextAuthConfig {
  return {
    secret: authSecret(),
    providers,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 24 * 60 * 60 },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    callbacks: {
      async jwt({ token, user, trigger }) {
        if (trigger === "signIn" || trigger === "signUp") {
          if (!user?.id || !user.sid) return null;
          // Keep the cookie minimal: ids only; names and flags are read fresh on each request.
          return { sub: user.id, sid: user.sid };
        }
        const resolved = await resolveSession({ sessionId: token.sid });
        if (!resolved || resolved.id !== token.sub) return null;
        resolvedUsers.set(token, resolved);
        return token;
      },
      async session({ session, token }) {
        const user = resolvedUsers.get(token);
        if (!user) throw new Error("session callback without a resolved session");
        return { ...session, user: { ...user, image: null } };
      },
      redirect({ url, baseUrl }) {
        // Same-origin only (Auth.js default), relative paths resolved against the app.
        if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          // fall through
        }
        return `${baseUrl}${AFTER_SIGN_IN_PATH}`;
      },
    },
    events: {
      async signOut(message) {
        if ("token" in message && message.token) await revokeSession({ sessionId: message.token.sid });
      },
    },
    logger: {
      error(error) {
        const type = (error as { type?: string }).type ?? error.name;
        // A wrong password is an expected outcome, not a server error.
        if (type === "CredentialsSignin") return;
        // An undecryptable cookie (old secret, tampering) just means "signed out".
        if (type === "JWTSessionError") {
          const cause = (error.cause as { err?: Error } | undefined)?.err;
          console.warn(`[auth] ignored an invalid session cookie: ${cause?.message ?? error.message}`);
          return;
        }
        console.error("[auth]", error);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());

export { createSessionForUser, revokeSession, revokeUserSessions, sessionMetaFromHeaders } from "./user-sessions";
export { sessionCredentialsProvider, signedInUser, EMAIL_PASSWORD_PROVIDER } from "./providers";
