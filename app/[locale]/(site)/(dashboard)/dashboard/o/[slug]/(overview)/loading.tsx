import { PageLoading } from "@/components/organizations/page-states";

export default function Loading() {
  return <PageLoading />;
}
