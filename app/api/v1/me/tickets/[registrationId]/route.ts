// GET /api/v1/me/tickets/:registrationId — one of the personal token owner's tickets (lib/api/v1/me.ts).
import { apiHandler } from "@/lib/http/api-route";
import { getMyApiTicket } from "@/lib/api/v1/me";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(getMyApiTicket);
