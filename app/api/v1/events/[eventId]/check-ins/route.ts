// GET / POST /api/v1/events/:eventId/check-ins — list check-ins, check in by code or QR payload (lib/api/v1/check-ins.ts).
import { apiHandler } from "@/lib/http/api-route";
import { createEventCheckIn, listEventCheckIns } from "@/lib/api/v1/check-ins";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(listEventCheckIns);
export const POST = apiHandler(createEventCheckIn);
