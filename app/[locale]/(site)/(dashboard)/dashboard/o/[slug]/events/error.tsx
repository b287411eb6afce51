"use client";
import { PageError } from "@/components/members/page-error";

export default function EventsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="events.ui.loadError" reset={reset} />;
}
