"use client";
import { PageError } from "@/components/members/page-error";

export default function GroupsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="groups.loadError" reset={reset} />;
}
