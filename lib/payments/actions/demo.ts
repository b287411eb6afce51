"use server";
// Thin entry point of the demo checkout page: the buyer submits a test card. Anyone holding the
// checkout link may (it is the page's capability, as a provider's hosted checkout URL is). Refused
// while demo payments are off. Limit: `payments.demo` per address.
import { AppError } from "@/lib/errors";
import { action } from "@/lib/http/action";
import { demoPaySchema } from "@/lib/validation/payments-demo";
import { payDemoCheckout } from "../providers/demo";
import { paymentsDemoEnabled } from "../providers/demo-mode";

export const payDemoCheckoutAction = action(
  demoPaySchema,
  async ({ id, card }) => {
    if (!paymentsDemoEnabled()) throw new AppError("NOT_FOUND", "paymentsDemo.errors.notFound");
    const result = await payDemoCheckout(id, card);
    if (!result) throw new AppError("NOT_FOUND", "paymentsDemo.errors.notFound");
    if (result.outcome === "unknown-card") throw new AppError("VALIDATION", "paymentsDemo.errors.unknownCard", { card: "paymentsDemo.errors.unknownCard" });
    if (result.outcome === "declined") return { outcome: "declined" as const, returnUrl: null };
    if (result.outcome === "processing") return { outcome: "processing" as const, returnUrl: null };
    return { outcome: result.outcome, returnUrl: result.returnUrl };
  },
  { limit: "payments.demo" },
);
