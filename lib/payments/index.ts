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
