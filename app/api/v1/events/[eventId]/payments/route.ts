// GET /api/v1/events/:eventId/payments — the event's payments with their refunds (lib/api/v1/payments.ts).
import { apiHandler } from "@/lib/http/api-route";
import { listEventPayments } from "@/lib/api/v1/payments";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(listEventPayments);
