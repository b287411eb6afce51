// GET /api/v1/events/:eventId · PATCH /api/v1/events/:eventId (lib/api/v1/events.ts).
import { apiHandler } from "@/lib/http/api-route";
import { getEvent, updateEventOperation } from "@/lib/api/v1/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(getEvent);
export const PATCH = apiHandler(updateEventOperation);
