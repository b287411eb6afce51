// The check-in HTTP contract, shared by the scanner (client) and the route handlers (server).
// Routes (all under /api/check-in/<eventId>/, JSON, no-store, authorized per request: a session of an
// OWNER/MODERATOR of the event's organization or a platform admin, or a door-staff cookie for this event):
//   GET  manifest            → CheckInManifest      (attendee list + public key for offline verification)
//   POST scan   ScanRequest  → ScanResponse         (one check-in; `nonce` makes a retry return the first result)
//   POST sync   SyncRequest  → SyncResponse         (offline queue; the earliest scan wins, others are conflicts)
//   GET  counters            → CheckInCounters      (polled every few seconds by every device)
//   GET  search?q=           → { results: AttendeeRow[] }  (manual check-in: name, email or code)
// Door staff never receive an attendee's email (the server omits it; `email` is only set for staff
// of the organization).
import { z } from "zod";

export const CHECK_IN_METHODS = ["QR_SCAN", "MANUAL"] as const;
export type CheckInMethodName = (typeof CHECK_IN_METHODS)[number];

/** Why a scan was refused (red screen); "already_checked_in" is the yellow screen. */
export const SCAN_REFUSALS = [
  "malformed", // not an AqStream ticket QR at all
  "bad_signature", // forged or edited payload
  "other_event", // a valid ticket of another event
  "not_found", // unknown registration / code for this event
  "cancelled", // CANCELLED registration
  "expired", // EXPIRED reservation
  "unpaid", // RESERVED / PENDING: not paid yet
  "event_not_open", // event cancelled / not published
] as const;
export type ScanRefusal = (typeof SCAN_REFUSALS)[number];

export const nonceSchema = z.string().trim().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/);

const scanItemSchema = z
  .object({
    /** Client nonce: one per physical scan; a retried request with the same nonce returns the first result. */
    nonce: nonceSchema,
    method: z.enum(CHECK_IN_METHODS),
    /** The QR text (AQ1.…) for QR_SCAN. */
    payload: z.string().max(1000).optional(),
    /** The registration for MANUAL (picked from search or the local list). */
    registrationId: z.string().uuid().optional(),
    deviceId: z.string().trim().min(1).max(100).optional(),
    /** When the phone scanned it (ISO). Offline scans keep their real time; the server clamps it to ≤ now. */
    scannedAt: z.string().datetime({ offset: true }).optional(),
  })
  .refine((v) => (v.method === "QR_SCAN" ? !!v.payload : !!v.registrationId), {
    message: "QR_SCAN needs payload, MANUAL needs registrationId",
  });

export const scanRequestSchema = scanItemSchema;
export type ScanRequest = z.infer<typeof scanRequestSchema>;

export const syncRequestSchema = z.object({ scans: z.array(scanItemSchema).min(1).max(500) });
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export type AttendeeRow = {
  registrationId: string;
  code: string;
  firstName: string;
  lastName: string | null;
  /** Only for organization staff; never for door staff. */
  email?: string | null;
  ticketTypeId: string;
  ticketTypeName: string;
  status: "CONFIRMED" | "CHECKED_IN" | "RESERVED" | "PENDING" | "CANCELLED" | "EXPIRED";
  checkedInAt: string | null;
  checkedInByName: string | null;
  /** The unpaid remainder of a PARTIAL prepayment, collected at the door (absent when nothing is due). */
  due?: { cents: number; currency: string };
};

export type ScanResult =
  | { result: "valid"; attendee: AttendeeRow; checkedInAt: string }
  | { result: "already_checked_in"; attendee: AttendeeRow; checkedInAt: string; checkedInByName: string | null }
  | { result: "refused"; reason: ScanRefusal; attendee?: AttendeeRow };

export type ScanResponse = ScanResult & { nonce: string };

export type SyncResponse = {
  results: ScanResponse[];
  /** Tickets scanned on several devices while offline: the earliest scan won. */
  conflicts: { registrationId: string; code: string; name: string; winnerAt: string; winnerBy: string | null; loserNonce: string; loserScannedAt: string }[];
};

export type TicketTypeCounter = { ticketTypeId: string; name: string; checkedIn: number; expected: number };
export type CheckInCounters = { checkedIn: number; expected: number; perType: TicketTypeCounter[]; at: string };

/**
 * The scanner's list as the phone keeps it (IndexedDB) and as GET manifest answered before format 2
 * (still answered to a request without `format=2`: a scanner tab opened before an upgrade).
 */
export type CheckInManifest = {
  event: { id: string; title: string; startsAt: string; timezone: string; status: string; organizationSlug: string };
  /** SPKI DER of the Ed25519 ticket key, base64 — the scanner verifies AQ1 payloads with WebCrypto. */
  publicKeySpki: string;
  attendees: AttendeeRow[];
  counters: CheckInCounters;
  generatedAt: string;
  /** Who is scanning: organization staff see emails, door staff do not. */
  viewer: { kind: "staff" | "door"; name: string };
};

// ───────────────────────────── the list on the wire (format 2) ─────────────────────────────
// GET manifest?format=2[&since=<cursor>] → CompactManifest (lib/check-in/manifest-format.ts decodes and
// merges it; docs/check-in.md "The list: compact, compressed, incremental"). Columns instead of one
// object per attendee, only what the door decides and shows, ticket types and checkers as tables sent
// once. `If-None-Match` with the last ETag → 304 when nothing changed.

export const MANIFEST_FORMAT = 2;

/** One character per attendee status in `rows.status`. */
export const ATTENDEE_STATUS_CODES = {
  CONFIRMED: "C",
  CHECKED_IN: "I",
  RESERVED: "R",
  PENDING: "P",
  CANCELLED: "X",
  EXPIRED: "E",
} as const satisfies Record<AttendeeRow["status"], string>;

/** `?since=`: the cursor of the previous answer (a 64-bit transaction id, decimal). */
export const manifestCursorSchema = z.string().regex(/^\d{1,20}$/);

export type CompactManifest = {
  format: typeof MANIFEST_FORMAT;
  /** true: the whole list (replaces what the phone has); false: only rows changed since `since` (merge them). */
  full: boolean;
  /** Pass back as `?since=` next time. */
  cursor: string;
  event: CheckInManifest["event"];
  publicKeySpki: string;
  viewer: CheckInManifest["viewer"];
  counters: CheckInCounters;
  generatedAt: string;
  /** The event's ticket types (all of them, every answer); `rows.type` indexes this. */
  ticketTypes: { id: string; name: string }[];
  /** Who checked in the rows of this answer; `rows.by` indexes this. */
  checkers: string[];
  /** One entry per attendee in every column (same position = same attendee). */
  rows: {
    id: string[];
    code: string[];
    /** The name to show ("first last"). */
    name: string[];
    type: number[];
    /** One ATTENDEE_STATUS_CODES character per attendee. */
    status: string;
    /** Checked in at (seconds since the epoch), 0 when not checked in. */
    at: number[];
    /** Index into `checkers`, -1 when unknown or not checked in. */
    by: number[];
    /**
     * Sparse: [row index, cents, currency] for each attendee with an unpaid prepayment remainder (due at
     * the door). Absent in answers of a server before this column (then nothing is due).
     */
    due?: [number, number, string][];
  };
};

/**
 * Event statuses whose doors are open: published (or completed — late syncs of offline scans still
 * land). The one rule for the server (the SQL gate is built from this list) and the offline scanner.
 */
export const CHECK_IN_OPEN_STATUSES = ["PUBLISHED", "COMPLETED"] as const;

export function isEventOpenForCheckIn(status: string): boolean {
  return (CHECK_IN_OPEN_STATUSES as readonly string[]).includes(status);
}
