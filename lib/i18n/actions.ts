"use server";
// The locale switch (header): a plain form, no client JavaScript. The cookie is set and the browser
// is redirected to the page it was on, so proxy.ts rewrites that URL to the new /<locale>/… route
// (re-rendering in place would render the old locale's route again). A signed-in user's choice is also saved as
// users.locale: the bot and the Telegram notifications speak that language.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { updateLocale } from "@/lib/identity";
import { getCurrentUser } from "@/lib/identity/session";
import { isLocale } from "./config";
import { setLocaleCookie } from "./cookie";

/** A path on this site to go back to: "/…" but never "//host" or "/\\host" (no open redirect). */
function sameSitePath(value: unknown): string | null {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  return value.length <= 2000 ? value : null;
}

async function returnPath(formData: FormData): Promise<string> {
  const explicit = sameSitePath(formData.get("returnTo"));
  if (explicit) return explicit;
  const referer = (await headers()).get("referer");
  if (referer) {
    try {
      const url = new URL(referer);
      const path = sameSitePath(`${url.pathname}${url.search}`);
      if (path) return path;
    } catch {
      // not a URL: fall through
    }
  }
  return "/";
}

export async function setLocaleAction(formData: FormData): Promise<void> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  await setLocaleCookie(locale);
  const user = await getCurrentUser();
  if (user && user.locale !== locale) {
    try {
      await updateLocale({ userId: user.id, locale });
    } catch (error) {
      // The UI switch already happened; the saved preference is retried at the next switch.
      console.error("[i18n] could not save the user's locale", error);
    }
  }
  redirect(await returnPath(formData));
}
