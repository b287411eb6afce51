// "Widget for your site" on the event's dashboard page (docs/widget.md): the two snippets (script + tag,
// iframe) with copy buttons, a link to preview the widget, and why it would not show yet (draft,
// private event) or what it will do (no guests: a button to the event page).
import { Card, CardHeader } from "@/components/ui/card";
import type { EventStatus } from "@/lib/generated/prisma/enums";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import { SnippetCopy } from "./snippet-copy";

export function widgetSnippets(appUrl: string, eventId: string, locale: Locale): { script: string; iframe: string; preview: string } {
  const base = appUrl.replace(/\/+$/, "");
  const preview = `${base}/embed/${eventId}?locale=${locale}`;
  return {
    script: `<script src="${base}/widget.js" async></script>\n<div data-aqstream-event="${eventId}" data-locale="${locale}"></div>`,
    iframe: `<iframe src="${preview}" title="AqStream" loading="lazy" style="width:100%;max-width:36rem;height:640px;border:0"></iframe>`,
    preview,
  };
}

export function EmbedCard({
  event,
  appUrl,
  locale,
  t,
}: {
  event: { id: string; status: EventStatus; isPrivate: boolean; allowGuests: boolean };
  appUrl: string;
  locale: Locale;
  t: Translator;
}) {
  const snippets = widgetSnippets(appUrl, event.id, locale);
  const texts = { copy: t("widget.embed.copy"), copied: t("widget.embed.copied"), copyFailed: t("widget.embed.copyFailed") };
  const notes = [
    event.isPrivate ? t("widget.embed.privateNote") : event.status === "DRAFT" ? t("widget.embed.draftNote") : t("widget.embed.liveNote"),
    ...(!event.isPrivate && !event.allowGuests ? [t("widget.embed.guestsNote")] : []),
  ];
  return (
    <Card aria-labelledby="event-embed" data-testid="embed-card">
      <CardHeader id="event-embed" title={t("widget.embed.title")} description={t("widget.embed.description")} />
      <ul className="mb-4 flex flex-col gap-1 text-sm text-slate-700">
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      <div className="flex flex-col gap-6">
        <SnippetCopy title={t("widget.embed.scriptTitle")} hint={t("widget.embed.scriptHint")} code={snippets.script} texts={texts} testId="embed-script" />
        <SnippetCopy title={t("widget.embed.iframeTitle")} hint={t("widget.embed.iframeHint")} code={snippets.iframe} texts={texts} testId="embed-iframe" />
        {!event.isPrivate && event.status !== "DRAFT" && (
          <a href={snippets.preview} target="_blank" rel="noopener" className="self-start font-medium text-brand-700 underline underline-offset-2" data-testid="embed-preview">
            {t("widget.embed.preview")}
            <span className="sr-only"> {t("widget.embed.newTab")}</span>
          </a>
        )}
      </div>
    </Card>
  );
}
