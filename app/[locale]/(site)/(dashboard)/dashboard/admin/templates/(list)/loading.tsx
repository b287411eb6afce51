import { TemplatesLoading } from "@/components/notifications/page-states";

export default function Loading() {
  return <TemplatesLoading />;
}
