// "Muted organizers" on the account page: the organizations whose messages to attendees the person
// muted (listMyMutes), each with "Unmute". A server component, so the account page renders it in one
// line: <MutedOrganizers user={user} /> (its client texts, "messages.mute", come from the account layout).
import "server-only";
import { Card, CardHeader } from "@/components/ui/card";
import { formatDate } from "@/lib/i18n/format";
import { getLocale, getT } from "@/lib/i18n/server";
import type { SessionUser } from "@/lib/identity/types";
import { listMyMutes } from "@/lib/messages";
import { actorOf } from "@/lib/permissions";
import { MutedOrganizersList } from "./muted-organizers-list";

export async function MutedOrganizers({ user }: { user: SessionUser }) {
  const [mutes, t, locale] = await Promise.all([listMyMutes({ actor: actorOf(user) }), getT(), getLocale()]);
  return (
    <Card aria-labelledby="muted-organizers-title" data-testid="muted-organizers">
      <CardHeader id="muted-organizers-title" title={t("messages.mute.sectionTitle")} description={t("messages.mute.sectionHint")} />
      <MutedOrganizersList mutes={mutes.map((m) => ({ ...m, mutedAtText: formatDate(m.mutedAt, locale, "day", { timeZone: "UTC" }) }))} />
    </Card>
  );
}
