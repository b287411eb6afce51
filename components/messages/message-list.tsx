"use client";
// The event's messages, newest first (phone first: one card per message): subject, audience, status
// (scheduled for <time in the event's zone> / sending x of y / sent / cancelled), results by channel,
// the top failure reasons, and "Cancel" for a scheduled one behind a confirmation. While a message is
// being sent (or one scheduled is due) the list polls the service every 2 s (TanStack Query over a thin
// server action) and stops when none is.
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatEventDateTime } from "@/components/events/format";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { cn } from "@/components/ui/cn";
import { useLocale, useT } from "@/lib/i18n/client";
import type { Locale } from "@/lib/i18n/config";
import type { Translator } from "@/lib/i18n/translate";
import { cancelEventMessageAction, listEventMessagesAction } from "@/lib/messages/actions";
import type { EventMessageStatus, EventMessageView } from "@/lib/messages/types";
import { messageProgress, needsPolling, newestFirst } from "./progress";

export const POLL_MS = 2000;

type Props = { eventId: string; timeZone: string; initial: EventMessageView[]; canCancel: boolean };

export function MessageList(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 2, refetchOnWindowFocus: true } } }));
  return (
    <QueryClientProvider client={client}>
      <LiveMessageList {...props} />
    </QueryClientProvider>
  );
}

const STATUS_TONE: Record<EventMessageStatus, string> = {
  SCHEDULED: "bg-amber-100 text-amber-900",
  SENDING: "bg-sky-100 text-sky-900",
  SENT: "bg-green-100 text-green-900",
  CANCELLED: "bg-slate-200 text-slate-700",
};

function LiveMessageList({ eventId, timeZone, initial, canCancel }: Props) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const query = useQuery({
    queryKey: ["event-messages", eventId],
    queryFn: async (): Promise<EventMessageView[]> => {
      const result = await listEventMessagesAction({ eventId });
      if (!result.ok) throw new Error(result.message);
      return result.messages;
    },
    initialData: initial,
    refetchInterval: (q) => (needsPolling(q.state.data ?? []) ? POLL_MS : false),
  });
  const messages = newestFirst(query.data ?? initial);

  if (messages.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 p-4 text-center" data-testid="messages-empty">
        <p className="font-medium text-slate-800">{t("messages.ui.empty")}</p>
        <p className="mt-1 text-sm text-slate-600">{t("messages.ui.emptyHint")}</p>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      {query.isError && (
        <p role="status" className="text-sm text-amber-800">
          {t("messages.ui.refreshError")}
        </p>
      )}
      <ul className="flex flex-col gap-3" aria-label={t("messages.ui.title")} data-testid="messages-list">
        {messages.map((m) => (
          <MessageCard
            key={m.id}
            message={m}
            timeZone={timeZone}
            locale={locale}
            t={t}
            canCancel={canCancel}
            onCancelled={() => {
              void query.refetch();
              router.refresh();
            }}
          />
        ))}
      </ul>
    </div>
  );
}

function statusText(m: EventMessageView, t: Translator, locale: Locale, timeZone: string): string {
  switch (m.status) {
    case "SCHEDULED":
      return Date.parse(m.scheduledAt) <= Date.now()
        ? t("messages.ui.status.SCHEDULED_DUE")
        : t("messages.ui.status.SCHEDULED", { time: formatEventDateTime(locale, m.scheduledAt, timeZone) });
    case "SENDING": {
      const progress = messageProgress(m.results);
      if (m.recipientsTotal === null && progress.total === 0) return t("messages.ui.status.PREPARING");
      return t("messages.ui.status.SENDING", { done: progress.done, total: progress.total });
    }
    case "SENT":
      return t("messages.ui.status.SENT");
    case "CANCELLED":
      return t("messages.ui.status.CANCELLED");
  }
}

function audienceText(m: EventMessageView, t: Translator): string {
  if (m.audience === "TICKET_TYPE") return m.ticketTypeName ? t("messages.ui.audience.TICKET_TYPE_NAMED", { name: m.ticketTypeName }) : t("messages.ui.audience.TICKET_TYPE");
  return t.dynamic(`messages.ui.audience.${m.audience}`);
}

function MessageCard(props: { message: EventMessageView; timeZone: string; locale: Locale; t: Translator; canCancel: boolean; onCancelled: () => void }) {
  const { message: m, timeZone, locale, t } = props;
  const progress = messageProgress(m.results);
  const started = m.status === "SENDING" || m.status === "SENT";
  const titleId = `message-${m.id}`;
  return (
    <li className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4" data-testid="message-item" data-message-id={m.id} data-status={m.status} aria-labelledby={titleId}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={titleId} className="min-w-0 text-base font-semibold break-words text-slate-900" data-testid="message-subject">
          {m.subject}
        </h3>
        <span className={cn("shrink-0 rounded-full px-2.5 py-0.5 text-xs font-semibold", STATUS_TONE[m.status])} data-testid="message-status" data-status={m.status}>
          {statusText(m, t, locale, timeZone)}
        </span>
      </div>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        <li data-testid="message-audience">{audienceText(m, t)}</li>
        {m.recipientsTotal !== null && <li>{t("messages.ui.recipients", { count: m.recipientsTotal })}</li>}
        {m.status === "SENT" && m.finishedAt && <li>{t("messages.ui.sentAt", { time: formatEventDateTime(locale, m.finishedAt, timeZone) })}</li>}
        {m.author && <li className="text-slate-500">{t("messages.ui.author", { name: m.author.name })}</li>}
      </ul>
      {m.status === "SENDING" && progress.total > 0 && (
        <div
          role="progressbar"
          aria-label={statusText(m, t, locale, timeZone)}
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.done}
          className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
        >
          <div className="h-full rounded-full bg-sky-500 transition-[width]" style={{ width: `${Math.round((progress.done / progress.total) * 100)}%` }} />
        </div>
      )}
      {started && <Results message={m} t={t} />}
      {props.canCancel && m.status === "SCHEDULED" && (
        <div>
          <ConfirmDialog
            triggerLabel={t("messages.ui.cancel")}
            triggerVariant="secondary"
            triggerSize="sm"
            triggerAriaLabel={t("messages.ui.cancelTitle", { subject: m.subject })}
            triggerTestId="cancel-message"
            title={t("messages.ui.cancelTitle", { subject: m.subject })}
            description={t("messages.ui.cancelText")}
            confirmLabel={t("messages.ui.cancelConfirm")}
            cancelLabel={t("messages.ui.keep")}
            onConfirm={() => cancelEventMessageAction({ messageId: m.id })}
            onDone={props.onCancelled}
          />
        </div>
      )}
    </li>
  );
}

function Results({ message: m, t }: { message: EventMessageView; t: Translator }) {
  const r = m.results;
  const channels = [
    { key: "telegram", label: t("messages.ui.results.telegram"), counts: r.telegram },
    { key: "email", label: t("messages.ui.results.email"), counts: r.email },
  ] as const;
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="message-results">
      <h4 className="sr-only">{t("messages.ui.results.title")}</h4>
      <dl className="grid gap-1 sm:grid-cols-2">
        {channels.map((c) => (
          <div key={c.key} className="flex flex-wrap gap-x-2" data-testid={`message-results-${c.key}`} data-sent={c.counts.sent} data-failed={c.counts.failed} data-pending={c.counts.pending}>
            <dt className="font-medium text-slate-800">{c.label}:</dt>
            <dd className="text-slate-700">
              {t("messages.ui.results.sent", { count: c.counts.sent })}
              {c.counts.failed > 0 && <span className="text-red-700">{", "}{t("messages.ui.results.failed", { count: c.counts.failed })}</span>}
              {c.counts.pending > 0 && <>{", "}{t("messages.ui.results.pending", { count: c.counts.pending })}</>}
            </dd>
          </div>
        ))}
      </dl>
      {r.noChannel > 0 && (
        <p className="text-amber-800" data-testid="message-results-no-channel" data-count={r.noChannel}>
          {t("messages.ui.results.noChannel", { count: r.noChannel })}
        </p>
      )}
      {r.unknown > 0 && (
        <p className="text-amber-800" data-testid="message-results-unknown" data-count={r.unknown}>
          {t("messages.ui.results.unknown", { count: r.unknown })} <span className="text-slate-600">{t("messages.ui.results.unknownHint")}</span>
        </p>
      )}
      {r.failures.length > 0 && (
        <div>
          <p className="font-medium text-slate-800">{t("messages.ui.results.failures")}</p>
          <ul className="list-disc pl-5 text-slate-700" data-testid="message-failures">
            {r.failures.slice(0, 3).map((f) => (
              <li key={f.reason} className="break-words">
                {t("messages.ui.results.failure", { reason: f.reason, count: f.count })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
