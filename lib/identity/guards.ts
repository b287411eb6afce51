// Page/layout helper: the redirect to the sign-in page lives here, not in services.
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signInUrlFor } from "./callback-url";
import { AFTER_SIGN_IN_PATH, PATHNAME_HEADER } from "./constants";
import { getCurrentUser } from "./session";
import type { SessionUser } from "./types";

/** The signed-in user, or a redirect to /login?callbackUrl=<the page being opened>. */
export async function requirePageUser(path?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user) return user;
  const target = path ?? (await headers()).get(PATHNAME_HEADER) ?? AFTER_SIGN_IN_PATH;
  redirect(signInUrlFor(target));
}
