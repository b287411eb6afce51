"use client";
// "Pay": starts (or resumes) the checkout through the server action and sends the buyer to the
// provider's page. The amount shown is the server's; the action takes none.
import { useState } from "react";
import { registrationMessage } from "@/components/registrations/messages";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { startCheckoutAction } from "@/lib/payments/checkout-actions";

export function PayButton({
  registrationId,
  token,
  purpose,
  label,
  variant = "primary",
  testId,
}: {
  registrationId: string;
  token?: string | null;
  purpose: "full" | "prepayment" | "remainder";
  label: string;
  variant?: "primary" | "secondary";
  testId: string;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const onClick = async () => {
    setBusy(true);
    setMessage(null);
    const result = await startCheckoutAction({ registrationId, purpose, token: token ?? null });
    if (!result.ok) {
      setBusy(false);
      setMessage(registrationMessage(t, result.message));
      return;
    }
    const checkout = result.checkout;
    if (checkout.kind === "redirect") {
      window.location.assign(checkout.redirectUrl);
      return;
    }
    setBusy(false);
    setMessage(checkout.kind === "manual" ? (checkout.instructions ?? t("pay.noMethod")) : t("pay.providerPending"));
  };

  return (
    <div className="flex flex-col gap-2">
      <Button type="button" variant={variant} fullWidth onClick={onClick} pending={busy} data-testid={testId}>
        {busy ? t("pay.redirecting") : label}
      </Button>
      {message && (
        <p role="alert" className="text-sm text-red-700">
          {message}
        </p>
      )}
    </div>
  );
}
