// Side-effect imports of every module that calls registerPhotoResolver(), so each process that
// delivers notifications has them. One line per kind.
import "@/lib/tickets/ticket-image"; // registers "ticket" (QR ticket PNG)

export {};
