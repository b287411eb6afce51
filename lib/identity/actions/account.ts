"use server";
// The account page's actions: thin (parse with the shared schema, call one service, answer with an
// ActionResult whose messages are message keys). Every one acts on the signed-in user only.
import { revalidatePath } from "next/cache";
import { signOut } from "@/lib/identity/auth";
import {
  changePassword,
  deleteAccount,
  OwnerOfOrganizationsError,
  signOutOtherSessions,
  updateLocale,
  updateProfile,
} from "@/lib/identity/account";
import { requireUser } from "@/lib/identity/session";
import { toActionError, type ActionResult, type ErrorCode, type FieldErrors } from "@/lib/errors";
import { setLocaleCookie } from "@/lib/i18n/cookie";
import { setUserAvatar } from "@/lib/media/attach";
import { actorOf } from "@/lib/permissions";
import { changePasswordSchema, deleteAccountSchema, localeSchema, profileSchema } from "@/lib/validation/account";
import { fieldErrorsOf } from "@/lib/validation/identity";
import type { z } from "zod";

const ACCOUNT_PATH = "/dashboard/account";

function invalid(error: z.ZodError): { ok: false; code: "VALIDATION"; message: string; fieldErrors: FieldErrors } {
  return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: fieldErrorsOf(error) };
}

export async function updateProfileAction(input: unknown): Promise<ActionResult> {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const user = await requireUser();
    await updateProfile({ userId: user.id, ...parsed.data });
  } catch (error) {
    return toActionError(error);
  }
  // The name is in the header too.
  revalidatePath("/", "layout");
  return { ok: true };
}

/** Sets (a media id of the user's own avatar upload) or removes (null) the profile photo. */
export async function setAvatarAction(mediaId: unknown): Promise<ActionResult> {
  if (mediaId !== null && typeof mediaId !== "string") {
    return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: { avatar: "media.errors.notAttachable" } };
  }
  try {
    const user = await requireUser();
    await setUserAvatar({ actor: actorOf(user), mediaId });
  } catch (error) {
    return toActionError(error);
  }
  revalidatePath(ACCOUNT_PATH);
  return { ok: true };
}

/** Saves users.locale and switches the UI to it (the locale cookie). */
export async function updateLocaleAction(input: unknown): Promise<ActionResult> {
  const parsed = localeSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const user = await requireUser();
    const locale = await updateLocale({ userId: user.id, locale: parsed.data.locale });
    await setLocaleCookie(locale);
  } catch (error) {
    return toActionError(error);
  }
  revalidatePath("/", "layout");
  return { ok: true };
}

export async function changePasswordAction(input: unknown): Promise<ActionResult<{ revokedSessions: number }>> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const user = await requireUser();
    const { revokedSessions } = await changePassword({ userId: user.id, sessionId: user.sessionId, ...parsed.data });
    revalidatePath(ACCOUNT_PATH);
    return { ok: true, revokedSessions };
  } catch (error) {
    return toActionError(error);
  }
}

export async function signOutOtherSessionsAction(): Promise<ActionResult<{ revoked: number }>> {
  try {
    const user = await requireUser();
    const { revoked } = await signOutOtherSessions({ userId: user.id, sessionId: user.sessionId });
    revalidatePath(ACCOUNT_PATH);
    return { ok: true, revoked };
  } catch (error) {
    return toActionError(error);
  }
}

export type DeleteAccountResult = {
  ok: false;
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldErrors;
  /** Organizations the user still owns (deletion refused). */
  organizations?: string[];
};

/** Deletes the signed-in account, clears the session cookie and goes to the landing page. */
export async function deleteAccountAction(input: unknown): Promise<DeleteAccountResult> {
  const parsed = deleteAccountSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const user = await requireUser();
    await deleteAccount({ userId: user.id, confirmation: parsed.data.confirmation });
  } catch (error) {
    if (error instanceof OwnerOfOrganizationsError) {
      return { ok: false, code: error.code, message: error.message, organizations: error.organizations };
    }
    return toActionError(error);
  }
  // The sessions are revoked already; this clears the cookie and redirects.
  await signOut({ redirectTo: "/" });
  return { ok: false, code: "INTERNAL", message: "errors.internal" };
}
