// GET /api/v1/events/:eventId/ticket-types · POST (add one) — lib/api/v1/ticket-types.ts.
import { apiHandler } from "@/lib/http/api-route";
import { createTicketTypeOperation, listTicketTypes } from "@/lib/api/v1/ticket-types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(listTicketTypes);
export const POST = apiHandler(createTicketTypeOperation);
