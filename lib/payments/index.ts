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
export { settlePayment, applyPaymentToRegistration, type SettleResult, type SettleOutcome } from "./settle";
export { startCheckout, authorizePayer, paymentReturnUrl, type CheckoutPurpose, type CheckoutResult } from "./checkout";
export { receiveWebhook, processWebhookEvent, type WebhookAnswer } from "./webhooks";
export { reconcilePayments, type ReconcileResult } from "./reconcile";
export { getPaymentStatus, getTicketPayments, type PaymentStatusView, type TicketPaymentsView } from "./status";
export { returnLinkKey } from "./return-link";
// Secrets at rest (AES-256-GCM; lib/webhooks keeps its endpoints' signing secrets with the same keys).
export { encryptSecret, decryptSecret, PaymentSecretsError } from "./secrets";

export {
  requestRefundInTransaction,
  refundRegistrationInTransaction,
  executeRefund,
  syncRefund,
  reconcilePendingRefunds,
  refundPaymentAsOrganizer,
  retryFailedRefund,
  markManualRefundDone,
  listRegistrationPayments,
  refundErrors,
  REFUND_ORIGINS,
  type RefundOrigin,
  type RefundOutcome,
  type RegistrationPaymentView,
} from "./refunds";
export { sweepPaymentDeadlines, pendingPaymentDeadlineSql, REMAINDER_REMINDER_HOURS } from "./deadlines";
// The demo provider's background work (lib/worker/functions/payments-demo.ts).
export { deliverDemoEvent, settleDemoPaymentIfDue } from "./providers/demo";
