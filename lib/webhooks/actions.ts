"use server";
// Thin entry points of the webhook pages (/dashboard/o/<slug>/developers/webhooks), behind the action edge
// (lib/http/action.ts): the shared schema (field errors on the form), the caller from the session, one
// service (which authorizes webhooks.manage — the owner — and scopes to the organization), then the pages
// revalidated. The organization id is the page's (bound); the secret travels only in the answer.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { webhookEndpointFormSchema } from "@/lib/validation/webhooks";
import { createEndpoint, deleteEndpoint, redeliver, rotateSecret, setEndpointEnabled, updateEndpoint } from "./endpoints";

const signedIn = { session: "required" } as const;
const LIST_PAGE = "/[locale]/dashboard/o/[slug]/developers/webhooks";
const ENDPOINT_PAGE = "/[locale]/dashboard/o/[slug]/developers/webhooks/[endpointId]";

function revalidate() {
  revalidatePath(LIST_PAGE, "page");
  revalidatePath(ENDPOINT_PAGE, "page");
}

export const createWebhookEndpointAction = action(
  z.tuple([id, webhookEndpointFormSchema]),
  async ([organizationId, input], { actor }) => {
    const { endpoint, secret } = await createEndpoint({ actor, organizationId, input });
    revalidate();
    return { id: endpoint.id, secret };
  },
  signedIn,
);

export const updateWebhookEndpointAction = action(
  z.tuple([id, id, webhookEndpointFormSchema]),
  async ([organizationId, endpointId, input], { actor }) => {
    await updateEndpoint({ actor, organizationId, endpointId, input });
    revalidate();
  },
  signedIn,
);

export const setWebhookEndpointEnabledAction = action(
  z.tuple([id, id, z.boolean()]),
  async ([organizationId, endpointId, enabled], { actor }) => {
    const result = await setEndpointEnabled({ actor, organizationId, endpointId, enabled });
    revalidate();
    return { changed: result.changed };
  },
  { ...signedIn, invalid: "not-found" },
);

export const rotateWebhookSecretAction = action(
  z.tuple([id, id]),
  async ([organizationId, endpointId], { actor }) => {
    const { secret } = await rotateSecret({ actor, organizationId, endpointId });
    return { secret };
  },
  { ...signedIn, invalid: "not-found" },
);

export const deleteWebhookEndpointAction = action(
  z.tuple([id, id]),
  async ([organizationId, endpointId], { actor }) => {
    await deleteEndpoint({ actor, organizationId, endpointId });
    revalidatePath(LIST_PAGE, "page");
  },
  { ...signedIn, invalid: "not-found" },
);

export const redeliverWebhookAction = action(
  z.tuple([id, id]),
  async ([organizationId, deliveryId], { actor }) => {
    await redeliver({ actor, organizationId, deliveryId });
    revalidatePath(ENDPOINT_PAGE, "page");
  },
  { ...signedIn, invalid: "not-found" },
);
