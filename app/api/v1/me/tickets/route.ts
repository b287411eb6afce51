// GET /api/v1/me/tickets — the personal token owner's tickets (lib/api/v1/me.ts).
import { apiHandler } from "@/lib/http/api-route";
import { listMyApiTickets } from "@/lib/api/v1/me";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(listMyApiTickets);
