"use client";
// The demo checkout's card form (app/[locale]/(site)/pay/demo/[id]). Success sends the buyer back to
// the return URL; a decline stays here with the message (as Stripe's page does); a delayed success
// shows "processing" and refreshes the page until the server says it is paid, then goes back.
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useT } from "@/lib/i18n/client";
import { payDemoCheckoutAction } from "@/lib/payments/actions/demo";

type Props = {
  id: string;
  amountLabel: string;
  /** A delayed success is under way (the server's view at render). */
  processing: boolean;
  declined: boolean;
};

const POLL_MS = 1000;

export function DemoCheckoutForm({ id, amountLabel, processing, declined }: Props) {
  const t = useT();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [card, setCard] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(declined ? "paymentsDemo.declined" : null);
  const [waiting, setWaiting] = useState(processing);

  // While a delayed success is under way: re-render the page every second (it shows <DemoReturn> once paid).
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => router.refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, router]);

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFieldError(null);
    setError(null);
    startTransition(async () => {
      try {
        const result = await payDemoCheckoutAction({ id, card });
        if (!result.ok) {
          if (result.fieldErrors?.card) setFieldError(result.fieldErrors.card);
          else setError(result.message);
          return;
        }
        if (result.outcome === "declined") setError("paymentsDemo.declined");
        else if (result.outcome === "processing") {
          setWaiting(true);
          router.replace(`/pay/demo/${id}?processing=1`);
        }
        else if (result.returnUrl) window.location.assign(result.returnUrl);
      } catch {
        setError("errors.internal");
      }
    });
  };

  if (waiting) {
    return (
      <div role="status" aria-live="polite" data-testid="demo-processing" className="flex items-center gap-3 rounded-xl bg-slate-100 p-4 text-slate-800">
        <span aria-hidden className="size-5 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />
        {t("paymentsDemo.processing")}
      </div>
    );
  }

  // method="post": a tap before hydration must never put the card number into the address (a GET form would).
  return (
    <form method="post" onSubmit={submit} noValidate className="flex flex-col gap-4">
      <div aria-live="polite">
        {error && (
          <Alert variant="error">
            <span data-testid="demo-error">{t.has(error) ? t.dynamic(error) : t.dynamic("errors.internal")}</span>
          </Alert>
        )}
      </div>
      <FormField label={t("paymentsDemo.card")} hint={t("paymentsDemo.cardHint")} error={fieldError ? t.dynamic(fieldError) : undefined} required>
        {(control) => (
          <Input
            {...control}
            name="card"
            value={card}
            onChange={(e) => setCard(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            placeholder="4242 4242 4242 4242"
            data-testid="demo-card"
          />
        )}
      </FormField>
      <Button type="submit" size="lg" fullWidth pending={pending} data-testid="demo-pay">
        {t("paymentsDemo.pay", { amount: amountLabel })}
      </Button>
    </form>
  );
}

/** A delayed success came through while the buyer waited on the page: back to the site. */
export function DemoReturn({ returnUrl }: { returnUrl: string }) {
  const t = useT();
  useEffect(() => {
    window.location.assign(returnUrl);
  }, [returnUrl]);
  return (
    <Alert variant="success" title={t("paymentsDemo.paidTitle")}>
      <span data-testid="demo-state-returning">{t("paymentsDemo.paidText")}</span>
    </Alert>
  );
}
