// Building block for every sign-in method. A provider only has to say *which user* is signing in;
// this wrapper creates the server-side session row (UserSession) and hands Auth.js `{ id, sid }`.
//
// Adding a method (e.g. the Telegram Login Widget or the bot deep link):
//   export const telegramWidgetProvider = sessionCredentialsProvider({
//     id: "telegram-widget",
//     name: "Telegram",
//     credentials: { payload: {} },
//     authenticate: async (credentials) => (await verifyTelegramLogin(...))?.userId ?? null,
//   });
// then list it in lib/identity/providers/index.ts and call `signIn("telegram-widget", { … })`.
import "server-only";
import Credentials from "next-auth/providers/credentials";
import type { User } from "next-auth";
import { createSessionForUser, sessionMetaFromHeaders } from "../user-sessions";

type CredentialFields = Record<string, { label?: string; type?: string }>;

export type SessionCredentialsOptions<C extends CredentialFields> = {
  id: string;
  name: string;
  credentials: C;
  /** The id of the user who proved their identity, or null (Auth.js then throws CredentialsSignin). */
  authenticate: (credentials: Partial<Record<keyof C, unknown>>, request: Request) => Promise<string | null>;
};

/** The Auth.js user of a fresh sign-in: creates the UserSession row (user agent, IP, 30 days). */
export async function signedInUser(userId: string, request: Request): Promise<User> {
  const session = await createSessionForUser(userId, sessionMetaFromHeaders(request.headers));
  return { id: userId, sid: session.id };
}

export function sessionCredentialsProvider<C extends CredentialFields>(options: SessionCredentialsOptions<C>) {
  return Credentials({
    id: options.id,
    name: options.name,
    credentials: options.credentials,
    async authorize(credentials, request) {
      const userId = await options.authenticate(credentials as Partial<Record<keyof C, unknown>>, request);
      return userId ? signedInUser(userId, request) : null;
    },
  });
}
