"use client";
import { PageError } from "@/components/members/page-error";

export default function MyTicketsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="registrations.myTickets.loadError" reset={reset} />;
}
