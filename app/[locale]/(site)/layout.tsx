import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";

/** Pages with the signed-in header (it reads the session, so these pages render per request). */
export default function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SiteHeader />
      <main id="main" className="flex flex-1 flex-col">
        {children}
      </main>
    </>
  );
}
