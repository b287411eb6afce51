// POST /api/v1/events/:eventId/publish — DRAFT → PUBLISHED (lib/api/v1/events.ts).
import { apiHandler } from "@/lib/http/api-route";
import { publishEventOperation } from "@/lib/api/v1/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiHandler(publishEventOperation);
