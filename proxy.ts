// Optimistic auth redirect: a /dashboard request without any session cookie goes straight to
// /login?callbackUrl=<path>. This only checks that a cookie is present; the real check (signature,
// session row, user) happens on the server in app/(dashboard)/layout.tsx and in every service.
// It also forwards the requested path to the layout (x-aq-pathname) for its own callbackUrl.
import { NextResponse, type NextRequest } from "next/server";
import { signInUrlFor } from "@/lib/identity/callback-url";
import { PATHNAME_HEADER, isSessionCookieName } from "@/lib/identity/constants";

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const path = `${pathname}${search}`;
  const hasSessionCookie = request.cookies.getAll().some((c) => isSessionCookieName(c.name) && c.value !== "");
  if (!hasSessionCookie) {
    return NextResponse.redirect(new URL(signInUrlFor(path), request.url));
  }
  const headers = new Headers(request.headers);
  headers.set(PATHNAME_HEADER, path);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/dashboard", "/dashboard/:path*"],
};
