import type { MetadataRoute } from "next";
import { env } from "@/lib/env";
import { absoluteBase } from "@/lib/public/format";

// /robots.txt: the public side is open to crawlers; the cabinet, the API and the door scanner are not.
// Rendered per request: a prerendered file would carry the APP_URL the BUILD saw (the e2e build, a CI
// machine), not the one the server runs with.
export const dynamic = "force-dynamic";

export default function robots(): MetadataRoute.Robots {
  const base = absoluteBase(env().APP_URL);
  return {
    rules: [{ userAgent: "*", allow: "/", disallow: ["/dashboard", "/api/", "/check-in", "/e-member/"] }],
    sitemap: `${base}/sitemap.xml`,
  };
}
