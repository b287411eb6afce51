import type { MetadataRoute } from "next";
import { env } from "@/lib/env";
import { absoluteBase, eventPath } from "@/lib/public/format";
import { listSitemapEntries } from "@/lib/public/queries";

// /sitemap.xml: the catalogue, upcoming PUBLISHED public events and live organizations. Private
// events, drafts and deleted rows never appear (lib/public/queries.ts). Rendered per request (crawlers
// ask rarely; two indexed queries), so it is never stale and the build reads no database.
export const dynamic = "force-dynamic";

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const base = absoluteBase(env().APP_URL);
  const { events, organizations } = await listSitemapEntries();
  return [
    { url: `${base}/`, changeFrequency: "daily", priority: 0.6 },
    { url: `${base}/events`, changeFrequency: "hourly", priority: 0.9 },
    ...events.map((e) => ({ url: `${base}${eventPath(e.organizationSlug, e.slug)}`, lastModified: e.updatedAt, changeFrequency: "daily" as const, priority: 0.8 })),
    ...organizations.map((o) => ({ url: `${base}/o/${o.slug}`, lastModified: o.updatedAt, changeFrequency: "weekly" as const, priority: 0.5 })),
  ];
}
