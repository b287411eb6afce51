"use server";
// The locale switch (header). Setting a cookie in a server action makes Next re-render the current
// page with it, so the switch needs no client JavaScript. A signed-in user's choice is also saved as
// users.locale: the bot and the Telegram notifications speak that language.
import { cookies } from "next/headers";
import { updateLocale } from "@/lib/identity/account";
import { getCurrentUser } from "@/lib/identity/session";
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, isLocale } from "./config";

export async function setLocaleAction(formData: FormData): Promise<void> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: "/",
    maxAge: LOCALE_COOKIE_MAX_AGE,
    sameSite: "lax",
    httpOnly: true,
    secure: process.env.NODE_ENV === "production" && process.env.APP_URL?.startsWith("https://") === true,
  });
  const user = await getCurrentUser();
  if (user && user.locale !== locale) {
    try {
      await updateLocale({ userId: user.id, locale });
    } catch (error) {
      // The UI switch already happened; the saved preference is retried at the next switch.
      console.error("[i18n] could not save the user's locale", error);
    }
  }
}
