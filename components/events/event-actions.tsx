"use client";
// The lifecycle buttons of an event's overview: publish (with the reasons it is refused, shown up
// front and again if the server refuses), unpublish, cancel (a required reason; says how many
// registrations it cancels), complete, delete a draft. Each runs one server action; the page refreshes.
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import {
  cancelEventAction,
  completeEventAction,
  deleteEventAction,
  publishEventAction,
  unpublishEventAction,
} from "@/lib/events/actions";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { EVENT_CANCEL_REASON_MAX } from "@/lib/validation/events";

type Props = {
  eventId: string;
  listHref: string;
  status: "DRAFT" | "PUBLISHED" | "CANCELLED" | "COMPLETED";
  can: { publish: boolean; unpublish: boolean; cancel: boolean; complete: boolean; delete: boolean };
  /** Message keys: why publishing would be refused now. */
  publishBlockers: string[];
  /** RESERVED + PENDING + CONFIRMED: what a cancellation cancels. */
  activeRegistrations: number;
};

export function EventActions(props: Props) {
  const t = useT();
  const router = useRouter();
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [publishing, startPublish] = useTransition();
  const [reason, setReason] = useState("");
  const reasonId = useId();

  const canPublishStatus = props.status === "DRAFT";
  // Offered once the event has started (the service refuses earlier ones).
  const showComplete = props.can.complete;
  const anything = canPublishStatus || props.can.unpublish || props.can.cancel || showComplete || props.can.delete;

  const publish = () =>
    startPublish(async () => {
      setMessage(null);
      try {
        const result = await publishEventAction(props.eventId);
        if (result.ok) {
          setMessage({ kind: "success", text: t("events.ui.overview.published") });
          router.refresh();
        } else setMessage({ kind: "error", text: t.dynamic(result.message) });
      } catch {
        setMessage({ kind: "error", text: t("errors.internal") });
      }
    });

  if (!anything) return <p className="text-sm text-slate-600">{t("events.ui.overview.noActions")}</p>;

  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite">{message && <Alert variant={message.kind}>{message.text}</Alert>}</div>

      {canPublishStatus && props.publishBlockers.length > 0 && (
        <Alert variant="info" title={t("events.ui.overview.publishBlocked")}>
          <ul className="list-disc pl-5" data-testid="publish-blockers">
            {props.publishBlockers.map((key) => (
              <li key={key}>{t.dynamic(key)}</li>
            ))}
          </ul>
        </Alert>
      )}

      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">
        {canPublishStatus && (
          <Button size="lg" onClick={publish} pending={publishing} disabled={!props.can.publish} data-testid="publish-event">
            {t("events.ui.overview.publish")}
          </Button>
        )}
        {props.can.unpublish && (
          <ConfirmDialog
            triggerLabel={t("events.ui.overview.unpublish")}
            triggerSize="lg"
            triggerTestId="unpublish-event"
            title={t("events.ui.overview.unpublishTitle")}
            description={t("events.ui.overview.unpublishText")}
            confirmLabel={t("events.ui.overview.unpublish")}
            confirmVariant="primary"
            cancelLabel={t("events.ui.overview.keep")}
            onConfirm={() => unpublishEventAction(props.eventId)}
            onDone={() => router.refresh()}
          />
        )}
        {showComplete && (
          <ConfirmDialog
            triggerLabel={t("events.ui.overview.complete")}
            triggerSize="lg"
            triggerTestId="complete-event"
            title={t("events.ui.overview.completeTitle")}
            description={t("events.ui.overview.completeText")}
            confirmLabel={t("events.ui.overview.complete")}
            confirmVariant="primary"
            cancelLabel={t("events.ui.overview.keep")}
            onConfirm={() => completeEventAction(props.eventId)}
            onDone={() => router.refresh()}
          />
        )}
        {props.can.cancel && (
          <ConfirmDialog
            triggerLabel={t("events.ui.overview.cancel")}
            triggerSize="lg"
            triggerVariant="danger"
            triggerTestId="cancel-event"
            title={t("events.ui.overview.cancelTitle")}
            description={t("events.ui.overview.cancelText", { count: props.activeRegistrations })}
            confirmLabel={t("events.ui.overview.cancelConfirm")}
            cancelLabel={t("events.ui.overview.keep")}
            confirmDisabled={reason.trim().length === 0}
            onConfirm={async () => {
              const result = await cancelEventAction(props.eventId, { reason });
              // The reason's own message (required / too long) instead of the generic one.
              if (!result.ok && result.fieldErrors?.reason) return { ...result, message: result.fieldErrors.reason };
              return result;
            }}
            onDone={(): void => {
              setMessage({ kind: "success", text: t("events.ui.overview.cancelled", { count: props.activeRegistrations }) });
              router.refresh();
            }}
          >
            <div className="flex flex-col gap-1.5">
              <label htmlFor={reasonId} className="text-sm font-medium text-slate-800">
                {t("events.ui.overview.cancelReason")}
              </label>
              <textarea
                id={reasonId}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                rows={3}
                required
                aria-required
                maxLength={EVENT_CANCEL_REASON_MAX}
                className="block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-500/40"
                data-testid="cancel-reason"
              />
            </div>
          </ConfirmDialog>
        )}
        {props.can.delete && (
          <ConfirmDialog
            triggerLabel={t("events.ui.overview.delete")}
            triggerSize="lg"
            triggerVariant="ghost"
            triggerTestId="delete-event"
            title={t("events.ui.overview.deleteTitle")}
            description={t("events.ui.overview.deleteText")}
            confirmLabel={t("events.ui.overview.delete")}
            cancelLabel={t("events.ui.overview.keep")}
            onConfirm={() => deleteEventAction(props.eventId)}
            onDone={() => router.push(props.listHref)}
          />
        )}
      </div>
    </div>
  );
}
