// Door-staff links (scan-only access to one event): the organizer's form and the API body
// (POST /api/check-in/<eventId>/staff). Shared by the management UI (react-hook-form) and the service.
import { z } from "zod";

export const STAFF_LINK_LABEL_MAX = 60;

export const createStaffLinkSchema = z.object({
  /** Who holds the link ("Вход А", "Анна"): shown as "checked in by" on scans made with it. */
  label: z.string().trim().min(1, "checkIn.server.errors.labelRequired").max(STAFF_LINK_LABEL_MAX, "checkIn.server.errors.labelTooLong"),
  /** ISO time; default: the event's end + 12 h. At most 7 days after the event's end. */
  expiresAt: z.string().datetime({ offset: true, message: "checkIn.server.errors.expiresInvalid" }).optional().nullable(),
});
export type CreateStaffLinkInput = z.infer<typeof createStaffLinkSchema>;

export type StaffLinkRow = {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  status: "active" | "revoked" | "expired";
  checkIns: number;
  createdByName: string;
};

export type CreatedStaffLink = StaffLinkRow & {
  /** Shown once: only its SHA-256 is stored. */
  token: string;
  /** Opens the scanner on a phone (sets the door cookie). */
  url: string;
  /** t.me deep link (bot /start staff_<token>), when a bot is configured. */
  telegramUrl: string | null;
};
