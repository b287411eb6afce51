// POST /api/payments/webhooks/<provider>/<organization>: a payment provider's notification (docs/payments.md
// "Webhooks"). Called by providers, so no same-origin check; the raw body is read as text (Stripe signs the
// exact bytes). The service verifies with the organization's account, stores the delivery once with its
// job and answers at once; the job re-reads the payment and settles. Rate limit `payment.webhook` per
// organization (lib/http/limits.ts).
import { z } from "zod";
import { json, NO_STORE, route } from "@/lib/http/route";
import { receiveWebhook } from "@/lib/payments";
import { ONLINE_PROVIDERS } from "@/lib/payments/providers/types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ provider: z.enum(ONLINE_PROVIDERS), organization: z.string().max(64) });

export const POST = route({ limit: "payment.webhook", params }, async ({ request, params: { provider, organization }, ip, enforce }) => {
  await enforce("caller", organization);
  const rawBody = await request.text();
  const answer = await receiveWebhook({ providerId: provider, organizationId: organization, rawBody, headers: request.headers, remoteAddress: ip });
  return json(answer.body, answer.status, NO_STORE);
});
