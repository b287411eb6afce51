"use client";
import { PageError } from "@/components/members/page-error";

export default function GroupError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="groups.loadError" reset={reset} />;
}
