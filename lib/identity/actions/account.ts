"use server";
// The account page's actions, behind the action edge (lib/http/action.ts): parse with the shared
// schema, call one service on the signed-in user only, revalidate.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signOut } from "@/lib/identity/auth";
import { changePassword, deleteAccount, signOutOtherSessions, updateLocale, updateProfile } from "@/lib/identity/account";
import { updateNotificationPreference } from "@/lib/identity/notification-preference";
import { action } from "@/lib/http/action";
import { setLocaleCookie } from "@/lib/i18n/cookie";
import { setUserAvatar } from "@/lib/media/attach";
import { changePasswordSchema, deleteAccountSchema, localeSchema, profileSchema } from "@/lib/validation/account";
import { notificationPreferenceSchema } from "@/lib/validation/notification-preference";

const ACCOUNT_PATH = "/dashboard/account";
const signedIn = { session: "required" } as const;

export const updateProfileAction = action(
  profileSchema,
  async (input, { user }) => {
    await updateProfile({ userId: user.id, ...input });
    // The name is in the header too.
    revalidatePath("/", "layout");
  },
  signedIn,
);

/** Sets (a media id of the user's own avatar upload) or removes (null) the profile photo. */
export const setAvatarAction = action(
  z.string({ error: "media.errors.notAttachable" }).nullable(),
  async (mediaId, { actor }) => {
    await setUserAvatar({ actor, mediaId });
    revalidatePath(ACCOUNT_PATH);
  },
  signedIn,
);

/** Saves users.locale and switches the UI to it (the locale cookie). */
export const updateLocaleAction = action(
  localeSchema,
  async (input, { user }) => {
    await setLocaleCookie(await updateLocale({ userId: user.id, locale: input.locale }));
    revalidatePath("/", "layout");
  },
  signedIn,
);

/** Saves users.notification_preference (which channels notices take). */
export const updateNotificationPreferenceAction = action(
  notificationPreferenceSchema,
  async (input, { user }) => {
    await updateNotificationPreference({ userId: user.id, preference: input.preference });
    revalidatePath(ACCOUNT_PATH);
  },
  signedIn,
);

export const changePasswordAction = action(
  changePasswordSchema,
  async (input, { user }) => {
    const { revokedSessions } = await changePassword({ userId: user.id, sessionId: user.sessionId, ...input });
    revalidatePath(ACCOUNT_PATH);
    return { revokedSessions };
  },
  signedIn,
);

export const signOutOtherSessionsAction = action(
  z.tuple([]),
  async (_, { user }) => {
    const { revoked } = await signOutOtherSessions({ userId: user.id, sessionId: user.sessionId });
    revalidatePath(ACCOUNT_PATH);
    return { revoked };
  },
  signedIn,
);

/**
 * Deletes the signed-in account, clears the session cookie and goes to the landing page (a redirect:
 * only failures come back; an owner of organizations gets `details.organizations`).
 */
export const deleteAccountAction = action(
  deleteAccountSchema,
  async ({ confirmation }, { user }) => {
    await deleteAccount({ userId: user.id, confirmation });
    // The sessions are revoked already; this clears the cookie and redirects.
    await signOut({ redirectTo: "/" });
  },
  signedIn,
);
