"use client";
// A mute link that is not one of ours (damaged, cut short by a mail client, or forged): say so, and
// where else muting is possible.
import { LinkButton } from "@/components/ui/link-button";
import { useT } from "@/lib/i18n/client";

export default function MuteLinkNotFound() {
  const t = useT();
  return (
    <div className="mx-auto flex w-full max-w-md flex-1 flex-col items-center justify-center gap-4 px-4 py-16 text-center" data-testid="mute-not-found">
      <h1 className="text-2xl font-bold text-slate-900">{t("messages.mute.notFoundTitle")}</h1>
      <p className="text-slate-600">{t("messages.mute.notFoundText")}</p>
      <LinkButton href="/dashboard/account" size="lg">
        {t("messages.mute.toAccount")}
      </LinkButton>
    </div>
  );
}
