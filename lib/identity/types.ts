import type { Locale } from "@/lib/i18n/config";

/** The signed-in user as pages, actions and services see it (fresh from the database each request). */
export type SessionUser = {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string | null;
  /** "First Last" for display. */
  name: string;
  isPlatformAdmin: boolean;
  locale: Locale;
  /** The UserSession row of this sign-in. */
  sessionId: string;
};

export function displayName(user: { firstName: string; lastName: string | null }): string {
  return [user.firstName, user.lastName].filter(Boolean).join(" ");
}
