// Cookies of a request's Cookie header, for code that reads a Request outside Next's request scope
// (route handlers on hot paths, the proxy, tests). Pure.

/** `a=1; b=2` → Map; values URI-decoded when they decode; the last of repeated names wins. */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      out.set(name, raw);
    }
  }
  return out;
}

/** One cookie's value, or null. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  return parseCookies(header).get(name) ?? null;
}
