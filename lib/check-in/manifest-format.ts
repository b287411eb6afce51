// The scanner's list, format 2 (lib/validation/check-in.ts CompactManifest): decoding the columns into
// attendee rows and merging an incremental answer into the list the phone keeps. Isomorphic and pure
// (the scanner runs it; tests/unit/check-in-manifest-format.test.ts checks it).
import {
  ATTENDEE_STATUS_CODES,
  MANIFEST_FORMAT,
  type AttendeeRow,
  type CheckInManifest,
  type CompactManifest,
} from "@/lib/validation/check-in";

/** The list as the phone stores it: the decoded rows plus where to continue from. */
export type StoredManifest = CheckInManifest & {
  format: typeof MANIFEST_FORMAT;
  /** The cursor of the last answer merged (`?since=`); null: download the whole list next time. */
  cursor: string | null;
  /** The ETag of the last answer (sent as If-None-Match). */
  etag: string | null;
};

const STATUS_BY_CODE = new Map(
  (Object.entries(ATTENDEE_STATUS_CODES) as [AttendeeRow["status"], string][]).map(([status, code]) => [code, status]),
);

/**
 * A list read back from IndexedDB. One saved by an older scanner (format 1: the same rows, no cursor)
 * still serves offline until the next download, which is then the whole list; anything else is no list.
 */
export function storedManifestOf(value: unknown): StoredManifest | undefined {
  const m = value as Partial<StoredManifest> | null | undefined;
  if (!m || typeof m !== "object" || !Array.isArray(m.attendees) || !m.event || typeof m.publicKeySpki !== "string") return undefined;
  if (m.format === MANIFEST_FORMAT && (typeof m.cursor === "string" || m.cursor === null)) return m as StoredManifest;
  return { ...(m as CheckInManifest), format: MANIFEST_FORMAT, cursor: null, etag: null };
}

/** The attendee rows of one answer (the ticket-type and checker tables resolved). */
export function decodeRows(m: Pick<CompactManifest, "rows" | "ticketTypes" | "checkers">): AttendeeRow[] {
  const { rows, ticketTypes, checkers } = m;
  const n = rows.id.length;
  for (const column of [rows.code, rows.name, rows.type, rows.at, rows.by]) {
    if (column.length !== n) throw new Error("manifest: the columns differ in length");
  }
  if (rows.status.length !== n) throw new Error("manifest: the columns differ in length");
  // The unpaid prepayment remainders, sparse by row index (absent from older answers: nothing due).
  const due = new Map<number, { cents: number; currency: string }>();
  for (const [i, cents, currency] of rows.due ?? []) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error("manifest: a due amount of no attendee");
    if (cents > 0) due.set(i, { cents, currency });
  }
  const out: AttendeeRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const type = ticketTypes[rows.type[i]];
    const status = STATUS_BY_CODE.get(rows.status[i]);
    if (!type || !status) throw new Error("manifest: an unknown ticket type or status");
    const at = rows.at[i];
    out[i] = {
      registrationId: rows.id[i],
      code: rows.code[i],
      firstName: rows.name[i],
      lastName: null,
      ticketTypeId: type.id,
      ticketTypeName: type.name,
      status,
      checkedInAt: at > 0 ? new Date(at * 1000).toISOString() : null,
      checkedInByName: at > 0 ? (checkers[rows.by[i]] ?? null) : null,
    };
    const amount = due.get(i);
    if (amount) out[i].due = amount;
  }
  return out;
}

/**
 * The list after an answer: a full answer replaces it; an incremental one replaces the rows it carries
 * (new registrations are added; a registration is never removed — a cancellation is a status) and
 * takes the answer's event, counters, key and ticket-type names.
 */
export function mergeManifest(stored: StoredManifest | undefined, answer: CompactManifest, etag: string | null): StoredManifest {
  if (answer.format !== MANIFEST_FORMAT) throw new Error(`manifest: format ${String(answer.format)} is not ${MANIFEST_FORMAT}`);
  const changed = decodeRows(answer);
  const head = {
    format: MANIFEST_FORMAT,
    cursor: answer.cursor,
    etag,
    event: answer.event,
    publicKeySpki: answer.publicKeySpki,
    viewer: answer.viewer,
    counters: answer.counters,
    generatedAt: answer.generatedAt,
  } as const;
  if (answer.full || !stored) {
    if (!answer.full) throw new Error("manifest: an incremental answer needs a stored list");
    return { ...head, attendees: changed };
  }
  const typeNames = new Map(answer.ticketTypes.map((t) => [t.id, t.name]));
  const byId = new Map<string, AttendeeRow>();
  for (const row of stored.attendees) {
    const name = typeNames.get(row.ticketTypeId);
    byId.set(row.registrationId, name !== undefined && name !== row.ticketTypeName ? { ...row, ticketTypeName: name } : row);
  }
  for (const row of changed) byId.set(row.registrationId, row);
  return { ...head, attendees: [...byId.values()] };
}
