// The photo resolvers of every kind, registered in each process that delivers notifications (web
// server, runner, Inngest route): deliver.ts imports this module. One line per kind; the producing area
// exports a function and never imports notifications.
import "server-only";
import { ticketPhoto } from "@/lib/tickets";
import { organizerMessageVariables } from "@/lib/messages/variables";
import { registerPhotoResolver } from "./photos";
import { registerNoticeVariables } from "./variables";

registerPhotoResolver("ticket", ticketPhoto); // QR ticket PNG

// Delivery-time variables (lib/notifications/variables.ts), one line per template code.
registerNoticeVariables("organizer.message", (row) => organizerMessageVariables(row)); // lib/messages: body, mute link
