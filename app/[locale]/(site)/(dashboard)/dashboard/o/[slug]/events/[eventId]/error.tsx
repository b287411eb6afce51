"use client";
import { PageError } from "@/components/members/page-error";

export default function EventError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="events.ui.eventLoadError" reset={reset} />;
}
