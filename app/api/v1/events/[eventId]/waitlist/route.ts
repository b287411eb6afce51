// GET /api/v1/events/:eventId/waitlist — the event's waitlist (lib/api/v1/waitlist.ts).
import { apiHandler } from "@/lib/http/api-route";
import { listEventWaitlistEntries } from "@/lib/api/v1/waitlist";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(listEventWaitlistEntries);
