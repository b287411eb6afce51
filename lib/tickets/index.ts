// Public API of the tickets area (server side): signing and verifying ticket tokens, the ticket image
// (and the "ticket" photo that lib/notifications/photo-resolvers.ts registers). Pure modules for any layer:
// lib/tickets/codes.ts, lib/tickets/ticket-format.ts.
import "server-only";

export { signTicket, verifyTicket, ticketPublicKey } from "./ticket-token";
export { renderTicketPng, ticketPhoto } from "./ticket-image";
