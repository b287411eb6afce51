// The signed-in user for Server Components, layouts and server actions. Pages that need a user and
// want a redirect use requirePageUser() (guards.ts); actions and services use requireUser().
import "server-only";
import { cache } from "react";
import { AppError } from "@/lib/errors";
import { auth } from "./auth";
import type { SessionUser } from "./types";

/** The signed-in user (checked against the session row), or null. Once per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const user = session?.user;
  return user?.id && user.sessionId ? user : null;
});

/** The signed-in user, or AppError UNAUTHENTICATED. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
  return user;
}
