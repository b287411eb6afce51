// Public API of the webhooks area (docs/webhooks.md): the organization's endpoints and delivery log
// (endpoints.ts), the delivery job's work (deliver.ts), the URL guard (url-guard.ts). The outbox itself is
// in the database (migration 20261209100000_webhook_triggers); the payload schemas (payloads.ts) and the
// type list (types.ts) are pure modules.
import "server-only";

export {
  listEndpoints,
  getEndpoint,
  createEndpoint,
  updateEndpoint,
  deleteEndpoint,
  setEndpointEnabled,
  rotateSecret,
  listDeliveries,
  getDelivery,
  redeliver,
  generateWebhookSecret,
  DELIVERY_PAGE_SIZE,
  type WebhookEndpointView,
  type WebhookDeliveryItem,
  type WebhookDeliveryPage,
  type WebhookDeliveryDetail,
} from "./endpoints";
export {
  deliverWebhook,
  sweepWebhookDeliveries,
  attemptJobId,
  secretContext,
  WEBHOOK_RETRY_DELAYS_MS,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_ATTEMPT_LEASE_MS,
  type DeliverOutcome,
} from "./deliver";
export { checkWebhookUrl, parseWebhookUrl, isBlockedAddress, type UrlCheck, type UrlRefusal, type UrlGuardOptions } from "./url-guard";
export { WEBHOOK_EVENT_TYPES, WEBHOOK_DISABLE_AFTER_MS, WEBHOOK_MAX_ENDPOINTS, type WebhookEventType, type WebhookDeliveryStatus } from "./types";
export { WEBHOOK_PAYLOAD_SCHEMAS, type WebhookPayload } from "./payloads";
