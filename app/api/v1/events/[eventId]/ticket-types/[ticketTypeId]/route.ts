// GET · PATCH /api/v1/events/:eventId/ticket-types/:ticketTypeId — lib/api/v1/ticket-types.ts.
import { apiHandler } from "@/lib/http/api-route";
import { getTicketType, updateTicketTypeOperation } from "@/lib/api/v1/ticket-types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(getTicketType);
export const PATCH = apiHandler(updateTicketTypeOperation);
