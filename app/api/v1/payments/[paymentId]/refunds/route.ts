// POST /api/v1/payments/:paymentId/refunds — refund a payment (lib/api/v1/payments.ts).
import { apiHandler } from "@/lib/http/api-route";
import { createPaymentRefund } from "@/lib/api/v1/payments";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiHandler(createPaymentRefund);
