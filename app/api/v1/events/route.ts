// GET /api/v1/events (list: cursor, status, updatedSince) · POST /api/v1/events (create a draft).
// Operations: lib/api/v1/events.ts; the edge: lib/http/api-route.ts; reference: /docs/api.
import { apiHandler } from "@/lib/http/api-route";
import { createEventOperation, listEvents } from "@/lib/api/v1/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(listEvents);
export const POST = apiHandler(createEventOperation);
