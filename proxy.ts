// Runs before every page request (not /api, /_next, /media or static files like .png/.txt/.ics):
// 1. Locale: the URL a person sees (/events, /dashboard/…) is rewritten to /<locale>/… from the
//    `locale` cookie (else DEFAULT_LOCALE). The locale thus reaches pages as a route parameter and the
//    root layout reads no cookie, so public pages can be rendered statically and cached per locale.
// 2. Optimistic auth redirect: a /dashboard request without any session cookie goes straight to
//    /login?callbackUrl=<path>. This only checks that a cookie is present; the real check (signature,
//    session row, user) happens on the server in app/[locale]/(site)/(dashboard)/layout.tsx and in every service.
// 3. It forwards the requested path to the layouts (x-aq-pathname) for their own callbackUrl.
import { NextResponse, type NextRequest } from "next/server";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { PATHNAME_HEADER, isSessionCookieName } from "@/lib/identity/constants";
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, type Locale } from "@/lib/i18n/config";

function requestLocale(request: NextRequest): Locale {
  const cookie = request.cookies.get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  const configured = process.env.DEFAULT_LOCALE;
  return isLocale(configured) ? configured : DEFAULT_LOCALE;
}

// 4. Public pages (docs/public-pages.md): an event page requested WITH a session cookie goes to the
//    members' twin route (/e-member/…, rendered per request: private events of the viewer's groups);
//    without one, to the cached route. The catalogue /events is the static /events/1 (/events/2 …
//    are its next pages); with a query string (search, filters) it goes to the per-request /events/search.
const EVENT_PAGE = /^\/e\/([^/]+)\/([^/]+)\/?$/;

function publicRoute(request: NextRequest): string | null {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/events" || pathname === "/events/") return search.length > 1 ? "/events/search" : "/events/1";
  const event = EVENT_PAGE.exec(pathname);
  if (event && request.cookies.getAll().some((c) => isSessionCookieName(c.name) && c.value !== "")) return `/e-member/${event[1]}/${event[2]}`;
  return null;
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const path = `${pathname}${search}`;
  if (pathname === "/dashboard" || pathname.startsWith("/dashboard/")) {
    const hasSessionCookie = request.cookies.getAll().some((c) => isSessionCookieName(c.name) && c.value !== "");
    if (!hasSessionCookie) return NextResponse.redirect(new URL(signInUrlFor(path), request.url));
  }
  const headers = new Headers(request.headers);
  headers.set(PATHNAME_HEADER, path);
  const target = request.nextUrl.clone();
  target.pathname = `/${requestLocale(request)}${publicRoute(request) ?? (pathname === "/" ? "" : pathname)}`;
  return NextResponse.rewrite(target, { request: { headers } });
}

export const config = {
  // Everything except route handlers, Next's own assets, uploaded media and files of a known static
  // type (public/ files, robots.txt, sitemap.xml, the service worker, icons, .ics downloads live outside
  // [locale]). Only these extensions: page paths may contain dots (/dashboard/admin/templates/user.welcome).
  matcher: ["/((?!api/|_next/|media/|.*\\.(?:ico|png|jpe?g|gif|svg|webp|avif|txt|xml|js|mjs|css|map|json|webmanifest|ics|woff2?|ttf)$).*)"],
};
