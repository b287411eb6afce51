// An endpoint's state as a badge: on, off by hand, off after a day of failures; "failing since …" while on.
import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/lib/i18n/format/date";
import type { Locale } from "@/lib/i18n/config";
import { getT } from "@/lib/i18n/server";
import type { WebhookEndpointView } from "@/lib/webhooks";

export async function WebhookStatusBadge({ endpoint, locale, timeZone }: { endpoint: WebhookEndpointView; locale: Locale; timeZone: string }) {
  const t = await getT();
  if (!endpoint.enabled) {
    return (
      <Badge className="bg-red-100 text-red-800">
        {endpoint.disabledReason === "FAILING" ? t("webhooks.status.disabledFailing") : t("webhooks.status.disabledManual")}
      </Badge>
    );
  }
  return (
    <>
      <Badge tone="success">{t("webhooks.status.enabled")}</Badge>
      {endpoint.failingSince && (
        <Badge className="bg-amber-100 text-amber-900">{t("webhooks.status.failingSince", { since: formatDate(endpoint.failingSince, locale, "dayMonthTime", { timeZone }) })}</Badge>
      )}
    </>
  );
}
