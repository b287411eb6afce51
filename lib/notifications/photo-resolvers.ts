// The photo resolvers of every kind, registered in each process that delivers notifications (web
// server, runner, Inngest route): deliver.ts imports this module. One line per kind; the producing area
// exports a function and never imports notifications.
import "server-only";
import { ticketPhoto } from "@/lib/tickets";
import { registerPhotoResolver } from "./photos";

registerPhotoResolver("ticket", ticketPhoto); // QR ticket PNG
