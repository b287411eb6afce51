import { PageSkeleton } from "@/components/members/page-skeleton";
import { getT } from "@/lib/i18n/server";

export default async function Loading() {
  return <PageSkeleton label={(await getT())("common.loading")} />;
}
