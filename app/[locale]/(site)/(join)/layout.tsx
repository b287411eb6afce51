import type { ReactNode } from "react";

/** Join pages (/invite/<code>, /g/<code>): open to everyone, a narrow column like the sign-in pages. */
export default function JoinLayout({ children }: { children: ReactNode }) {
  return <div className="mx-auto flex w-full max-w-md flex-1 flex-col px-4 py-8 sm:py-14">{children}</div>;
}
