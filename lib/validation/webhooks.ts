// The webhook endpoint form: ONE zod schema for react-hook-form (client), the server actions and the
// service (which parses again). Messages are keys of lib/i18n/messages/areas/webhooks.ts ("webhooks.validation.*").
// The address rules that need the network (what the host resolves to) are the service's (lib/webhooks/url-guard.ts).
import { z } from "zod";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/types";
import { UUID_PATTERN } from "@/lib/validation/ids";

const V = "webhooks.validation";

export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESCRIPTION_MAX = 300;

export const webhookUrlSchema = z
  .string({ error: `${V}.urlInvalid` })
  .trim()
  .min(8, `${V}.urlInvalid`)
  .max(WEBHOOK_URL_MAX, `${V}.urlTooLong`)
  .refine((v) => /^https?:\/\//i.test(v), `${V}.urlScheme`);

export const webhookEndpointFormSchema = z.strictObject({
  url: webhookUrlSchema,
  description: z
    .string({ error: `${V}.descriptionTooLong` })
    .trim()
    .max(WEBHOOK_DESCRIPTION_MAX, `${V}.descriptionTooLong`)
    .nullish()
    .transform((v) => (v ? v : null)),
  eventTypes: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `${V}.eventTypeInvalid` }), { error: `${V}.eventTypesRequired` })
    .min(1, `${V}.eventTypesRequired`)
    .transform((list) => WEBHOOK_EVENT_TYPES.filter((t) => list.includes(t))),
});
export type WebhookEndpointForm = z.input<typeof webhookEndpointFormSchema>;

const id = z.string().regex(UUID_PATTERN, "errors.notFound");

export const webhookEndpointIdSchema = z.strictObject({ organizationId: id, endpointId: id });
export const webhookDeliveryIdSchema = z.strictObject({ organizationId: id, deliveryId: id });

/** The delivery log's filter (query string of the endpoint page). */
export const webhookDeliveryFilterSchema = z.enum(WEBHOOK_DELIVERY_STATUSES).optional().catch(undefined);
