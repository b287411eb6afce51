"use client";
import { PageError } from "@/components/members/page-error";

export default function MembersError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="members.loadError" reset={reset} />;
}
