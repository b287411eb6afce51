import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/identity/guards";

/** The real session check of the cabinet (proxy.ts only looks for a cookie). */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  await requirePageUser();
  return <div className="mx-auto flex w-full max-w-5xl flex-1 flex-col px-4 py-6 sm:py-10">{children}</div>;
}
