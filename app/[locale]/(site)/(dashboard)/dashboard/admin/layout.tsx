import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/identity/guards";

/**
 * The platform admin area (/dashboard/admin/*) does not exist for anyone else: a 404, decided here —
 * above the pages' loading.tsx boundaries — so the answer carries the 404 status (a notFound() after
 * a loading state has streamed can only show the page, with 200 already sent: docs/architecture.md).
 * The services still refuse non-admins themselves (FORBIDDEN); this is the page-level answer.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  if (!user.isPlatformAdmin) notFound();
  return children;
}
