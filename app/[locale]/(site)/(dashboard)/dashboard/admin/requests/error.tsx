"use client";
import { PageError } from "@/components/organizations/page-states";

export default function ErrorBoundary(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError {...props} />;
}
