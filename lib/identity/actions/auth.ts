"use server";
// Thin entry points of the auth forms, behind the action edge (lib/http/action.ts): parse with the
// shared schema, call the service / Auth.js, answer with an ActionResult whose messages are message
// keys (translated by the form). Success is a redirect (to the safe callbackUrl).
import { z } from "zod";
import type { ActionResult } from "@/lib/errors";
import { action } from "@/lib/http/action";
import { signOut } from "@/lib/identity/auth";
import { safeCallbackUrl } from "@/lib/identity/callback-url";
import { signInSchema, signUpSchema } from "@/lib/validation/identity";
import { signInWithPassword, signUpThen } from "./sign-in";

// The forms' result: `{ ok: true }` or an error with field message keys.
export type AuthFormResult = ActionResult<object>;

/** Signs in; on success Auth.js redirects, so this only ever returns errors. */
export const signInAction = action(z.tuple([signInSchema, z.unknown().optional()]), async ([credentials, callbackUrl]): Promise<void> => {
  await signInWithPassword(credentials, safeCallbackUrl(callbackUrl));
});

/** Creates the account, signs it in and redirects to the safe callbackUrl (else the dashboard). */
export const signUpAction = action(z.tuple([signUpSchema, z.unknown().optional()]), async ([input, callbackUrl], ctx): Promise<void> => {
  await signUpThen(input, { ip: await ctx.ip(), locale: await ctx.locale() }, async () => safeCallbackUrl(callbackUrl));
});

/** Signs out (revokes the session row) and goes to the landing page. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
