// Public API of the payments area (see docs/registrations.md, "Payments").
import "server-only";

export {
  markPaid,
  recordRemainingPayment,
  sweepOverduePrepayments,
  planFirstPayment,
  prepaymentAmount,
  paymentErrors,
  MANUAL_PROVIDER,
  type PaymentPlan,
  type PaymentResult,
} from "./manual";

// The demo provider's background work (lib/worker/functions/payments-demo.ts).
export { deliverDemoEvent, settleDemoPaymentIfDue } from "./providers/demo";
