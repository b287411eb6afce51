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

// 4. Public pages (docs/public-pages.md): a request WITH a session cookie goes to the members' twin of
//    the page (rendered per request with the viewer: private events of the viewer's groups) — an event
//    page to /e-member/…, an organization page to /o-member/…, the catalogue (/events, /events/<n>,
//    /events?…) to /events-member?…&page=<n>. Without one, to the cached routes: the catalogue /events
//    is the static /events/1 (/events/2 … are its next pages); with a query string (search, filters) it
//    goes to the per-request /events/search.
const EVENT_PAGE = /^\/e\/([^/]+)\/([^/]+)\/?$/;
const ORGANIZATION_PAGE = /^\/o\/([^/]+)\/?$/;
const CATALOGUE_PAGE = /^\/events\/([1-9]\d{0,3})\/?$/;

function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some((c) => isSessionCookieName(c.name) && c.value !== "");
}

/** Where a public page is rendered: a path, and for the catalogue's twin the page number as `page`. */
function publicRoute(request: NextRequest): { pathname: string; page?: string } | null {
  const { pathname, search } = request.nextUrl;
  const member = hasSessionCookie(request);
  if (pathname === "/events" || pathname === "/events/") return { pathname: member ? "/events-member" : search.length > 1 ? "/events/search" : "/events/1" };
  const cataloguePage = CATALOGUE_PAGE.exec(pathname);
  if (cataloguePage && member) return { pathname: "/events-member", page: cataloguePage[1] };
  const event = EVENT_PAGE.exec(pathname);
  if (event && member) return { pathname: `/e-member/${event[1]}/${event[2]}` };
  const organization = ORGANIZATION_PAGE.exec(pathname);
  if (organization && member) return { pathname: `/o-member/${organization[1]}` };
  return null;
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const path = `${pathname}${search}`;
  if (pathname === "/dashboard" || pathname.startsWith("/dashboard/")) {
    if (!hasSessionCookie(request)) return NextResponse.redirect(new URL(signInUrlFor(path), request.url));
  }
  const headers = new Headers(request.headers);
  headers.set(PATHNAME_HEADER, path);
  const target = request.nextUrl.clone();
  const route = publicRoute(request);
  target.pathname = `/${requestLocale(request)}${route?.pathname ?? (pathname === "/" ? "" : pathname)}`;
  if (route?.page) target.searchParams.set("page", route.page);
  return NextResponse.rewrite(target, { request: { headers } });
}

export const config = {
  // Everything except route handlers, Next's own assets, uploaded media and files of a known static
  // type (public/ files, robots.txt, sitemap.xml, the service worker, icons, .ics downloads live outside
  // [locale]). Only these extensions: page paths may contain dots (/dashboard/admin/templates/user.welcome).
  matcher: ["/((?!api/|_next/|media/|.*\\.(?:ico|png|jpe?g|gif|svg|webp|avif|txt|xml|js|mjs|css|map|json|webmanifest|ics|woff2?|ttf)$).*)"],
};
