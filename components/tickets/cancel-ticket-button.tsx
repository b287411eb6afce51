"use client";
// "Cancel registration" with a confirmation dialog; the seat returns (to the waitlist first). The
// Idempotency-Key is made once per dialog, so a double tap cancels once and answers the same.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { cancelMyTicketAction } from "@/lib/registrations/actions/my-tickets";
import { cancelGuestTicketAction } from "@/lib/registrations/actions/guest-ticket";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { newIdempotencyKey } from "@/components/registrations/idempotency-key";
import { registrationMessage } from "@/components/registrations/messages";
import type { ActionResult } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";

export type CancelTarget = { kind: "user"; registrationId: string } | { kind: "guest"; token: string };

export function CancelTicketButton({ target, paid }: { target: CancelTarget; paid: boolean }) {
  const t = useT();
  const router = useRouter();
  const [key, setKey] = useState(newIdempotencyKey);

  const onConfirm = async (): Promise<ActionResult> => {
    const result =
      target.kind === "user"
        ? await cancelMyTicketAction({ registrationId: target.registrationId, idempotencyKey: key })
        : await cancelGuestTicketAction({ token: target.token, idempotencyKey: key });
    if (result.ok) return result;
    // The dialog shows the message; the area's error keys are resolved here.
    return { ...result, message: registrationMessage(t, result.message) };
  };

  return (
    <ConfirmDialog
      triggerLabel={t("registrations.ticket.cancel")}
      triggerVariant="secondary"
      triggerSize="md"
      triggerTestId="cancel-registration"
      title={t("registrations.ticket.cancelTitle")}
      description={
        <>
          <p>{t("registrations.ticket.cancelText")}</p>
          {paid && <p className="mt-2">{t("registrations.ticket.cancelPaidText")}</p>}
        </>
      }
      confirmLabel={t("registrations.ticket.cancelConfirm")}
      cancelLabel={t("registrations.ticket.keep")}
      onConfirm={onConfirm}
      onDone={() => {
        setKey(newIdempotencyKey());
        router.refresh();
      }}
    />
  );
}
