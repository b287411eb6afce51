import "server-only";
import { verifyCredentials } from "../credentials";
import { sessionCredentialsProvider } from "./session-provider";

export const EMAIL_PASSWORD_PROVIDER = "credentials";

const text = (v: unknown) => (typeof v === "string" ? v : "");

/** Email + password (with lockout). Any failure is the same CredentialsSignin error. */
export const emailPasswordProvider = sessionCredentialsProvider({
  id: EMAIL_PASSWORD_PROVIDER,
  name: "Email",
  credentials: { email: { type: "email" }, password: { type: "password" } },
  authenticate: async (credentials) =>
    (await verifyCredentials({ email: text(credentials.email), password: text(credentials.password) }))?.id ?? null,
});
