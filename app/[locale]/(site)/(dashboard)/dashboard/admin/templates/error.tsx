"use client";
import { TemplatesError } from "@/components/notifications/page-states";

export default function ErrorBoundary(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <TemplatesError {...props} />;
}
