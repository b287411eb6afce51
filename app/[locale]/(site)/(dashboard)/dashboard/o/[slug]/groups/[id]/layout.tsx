import type { ReactNode } from "react";
import { loadGroupPage } from "@/components/groups/group-loader";

/**
 * /dashboard/o/<slug>/groups/<id>: the group is authorized here, above this segment's loading.tsx, so
 * an unknown group, another organization's, or one the user may not manage is a real 404 (a notFound()
 * in the page would come after the loading state streamed, with 200 already sent). The page reuses
 * the same cached load.
 */
export default async function GroupLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  await loadGroupPage(slug, id);
  return children;
}
