// The message key of an event type's label: "registration.created" → webhooks.types.registration_created
// (a key path cannot contain the type's dot). Plain module: server pages and client components use it.
import type { MessageKey } from "@/lib/i18n/translate";
import type { WebhookEventType } from "@/lib/webhooks/types";

export function typeLabelKey(type: WebhookEventType): MessageKey {
  return `webhooks.types.${type.replace(".", "_")}` as MessageKey;
}
