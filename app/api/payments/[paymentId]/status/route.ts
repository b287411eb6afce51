// GET /api/payments/<paymentId>/status?k=<return-link key>: the live state of a payment for the return
// page's poll. Authorized like checkout (the registration's owner, or the return link's key); re-reads
// the provider at most every few seconds (lib/payments/status.ts). Rate limit `payment.status` per address.
import { z } from "zod";
import { NO_STORE, json, route } from "@/lib/http/route";
import { getPaymentStatus } from "@/lib/payments";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ paymentId: z.string().max(64) });
const query = z.object({ k: z.string().max(100).optional() });

export const GET = route({ limit: "payment.status", session: "optional", params, query }, async ({ params: { paymentId }, query: { k }, user }) => {
  const view = await getPaymentStatus({ paymentId, actor: actorOf(user), returnKey: k ?? null });
  return json({ ok: true, payment: view }, 200, NO_STORE);
});
