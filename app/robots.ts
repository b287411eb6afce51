import type { MetadataRoute } from "next";
import { env } from "@/lib/env";
import { absoluteBase } from "@/lib/public/format";

// /robots.txt: the public side is open to crawlers; the cabinet, the API and the door scanner are not.
export default function robots(): MetadataRoute.Robots {
  const base = absoluteBase(env().APP_URL);
  return {
    rules: [{ userAgent: "*", allow: "/", disallow: ["/dashboard", "/api/", "/check-in", "/e-member/"] }],
    sitemap: `${base}/sitemap.xml`,
  };
}
