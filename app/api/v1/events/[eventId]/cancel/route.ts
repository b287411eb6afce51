// POST /api/v1/events/:eventId/cancel — cancel with a reason (lib/api/v1/events.ts).
import { apiHandler } from "@/lib/http/api-route";
import { cancelEventOperation } from "@/lib/api/v1/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiHandler(cancelEventOperation);
