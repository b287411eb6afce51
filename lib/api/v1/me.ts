// REST API v1: a person's own tickets, with a PERSONAL token (scope tickets:read; docs/api.md). Only the
// token owner's registrations: another person's id is 404 (lib/registrations/queries getMyTicket).
//
//   GET /me/tickets                    every ticket (upcoming, past, cancelled), with the QR payload
//   GET /me/tickets/{registrationId}   one
import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { listResponse, objectResponse } from "@/lib/api/pagination";
import { AppError } from "@/lib/errors";
import { getMyTicket, listMyTickets } from "@/lib/registrations/queries";
import { apiTicket, idParam, toApiTicket } from "./schemas-b";

export const listMyApiTickets = defineOperation({
  id: "listMyTickets",
  method: "GET",
  path: "/me/tickets",
  tag: "My tickets",
  scope: "tickets:read",
  summary: "List my tickets",
  description: "The token owner's tickets: upcoming (soonest first), then past, then cancelled or expired. `qrPayload` is set for CONFIRMED and CHECKED_IN tickets. One page (`nextCursor` is always null).",
  response: listResponse(apiTicket),
  handler: async ({ actor }) => {
    const mine = await listMyTickets({ actor });
    const data = [...mine.upcoming, ...mine.past, ...mine.cancelled].map(toApiTicket);
    return { ok: true as const, data, nextCursor: null };
  },
});

export const getMyApiTicket = defineOperation({
  id: "getMyTicket",
  method: "GET",
  path: "/me/tickets/{registrationId}",
  tag: "My tickets",
  scope: "tickets:read",
  summary: "Get one of my tickets",
  params: z.object({ registrationId: idParam("The registration's id.") }),
  response: objectResponse(apiTicket),
  handler: async ({ actor, params }) => {
    const ticket = await getMyTicket({ actor, registrationId: params.registrationId });
    if (!ticket) throw new AppError("NOT_FOUND", "errors.notFound");
    return { ok: true as const, data: toApiTicket(ticket) };
  },
});
