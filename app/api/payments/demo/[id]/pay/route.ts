// POST /api/payments/demo/:id/pay — the demo provider's "buyer pays" call: the same as submitting a test
// card on its checkout page (app/[locale]/(site)/pay/demo/[id]), for clients without the page (the
// payments benchmark, scripts). Body { card }. Anyone holding the checkout id may (it is the checkout's
// capability, as a provider's hosted checkout URL is). 404 while demo payments are off. Answers
// { ok: true, outcome, returnUrl } (outcome: paid | webhook-only | processing | declined | expired |
// closed). Limit `payments.demo` per address.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http/route";
import { payDemoCheckout } from "@/lib/payments/providers/demo";
import { paymentsDemoEnabled } from "@/lib/payments/providers/demo-mode";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ id: z.string() });
const body = z.object({ card: z.string({ error: "paymentsDemo.errors.unknownCard" }).max(40, "paymentsDemo.errors.unknownCard") });

export const POST = route({ limit: "payments.demo", params, body }, async ({ params: { id }, body: { card } }) => {
  if (!paymentsDemoEnabled()) throw new AppError("NOT_FOUND", "paymentsDemo.errors.notFound");
  const result = await payDemoCheckout(id, card);
  if (!result) throw new AppError("NOT_FOUND", "paymentsDemo.errors.notFound");
  if (result.outcome === "unknown-card") throw new AppError("VALIDATION", "paymentsDemo.errors.unknownCard", { card: "paymentsDemo.errors.unknownCard" });
  return json({ ok: true, outcome: result.outcome, returnUrl: "returnUrl" in result ? result.returnUrl : null });
});
