// The scanner's local bookkeeping as pure functions (unit-tested in tests/unit/check-in-state.test.ts):
// the downloaded attendee list with this phone's own marks on top, the offline queue, what a sync
// response does to both, the conflicts list, counters that include not-yet-synced check-ins, the
// local search, nonces and the repeat-read debounce. IndexedDB and React live elsewhere
// (idb.ts, use-check-in.ts); nothing here touches the browser.
import type {
  AttendeeRow,
  CheckInCounters,
  CheckInManifest,
  CheckInMethodName,
  ScanRefusal,
  ScanResponse,
  SyncResponse,
} from "@/lib/validation/check-in";

/** A check-in made while offline, waiting for POST /sync (IndexedDB store "queue"). */
export type QueuedScan = {
  nonce: string;
  eventId: string;
  method: CheckInMethodName;
  /** The QR text for QR_SCAN. */
  payload?: string;
  /** Always known locally (from the verified QR or the picked row). */
  registrationId: string;
  deviceId: string;
  scannedAt: string;
};

/** Something the moderator should look at after a sync (IndexedDB store "conflicts"). */
export type ConflictEntry = {
  /** The nonce of this phone's scan that lost (unique). */
  key: string;
  eventId: string;
  /**
   * "conflict": another device checked the ticket in earlier (this phone's scan lost);
   * "earlier": this phone's offline scan was earlier and replaced another device's later check-in;
   * "refused": the server refused this phone's offline scan.
   */
  kind: "conflict" | "earlier" | "refused";
  registrationId: string;
  code: string;
  name: string;
  /** This phone's (offline) scan time. */
  scannedAt: string;
  winnerAt?: string;
  winnerBy?: string | null;
  /** For "earlier": when the other device had checked it in. */
  otherAt?: string;
  reason?: ScanRefusal;
  /** When the sync found it. */
  foundAt: string;
};

export type AttendeeIndex = Map<string, AttendeeRow>;

export function attendeeName(a: Pick<AttendeeRow, "firstName" | "lastName">): string {
  return [a.firstName, a.lastName].filter(Boolean).join(" ");
}

/** A scan nonce: 32 characters of [0-9a-f] (a UUID without dashes) — matches the contract's nonceSchema. */
export function makeNonce(random: () => string = () => globalThis.crypto.randomUUID()): string {
  return random().replace(/-/g, "");
}

export function indexAttendees(rows: readonly AttendeeRow[]): AttendeeIndex {
  return new Map(rows.map((r) => [r.registrationId, r]));
}

/** The row after a check-in at `at` by `byName` (a CONFIRMED row becomes CHECKED_IN; others stay). */
export function withCheckIn(row: AttendeeRow, at: string, byName: string | null): AttendeeRow {
  if (row.status === "CHECKED_IN") return row;
  return { ...row, status: "CHECKED_IN", checkedInAt: at, checkedInByName: byName };
}

/**
 * A fresh list from the server with this phone's queued (not yet synced) check-ins on top, so a
 * manifest refresh never "un-checks" a ticket this phone let in while offline.
 */
export function overlayQueue(rows: readonly AttendeeRow[], queue: readonly QueuedScan[], byName: string | null): AttendeeRow[] {
  if (queue.length === 0) return [...rows];
  const pending = new Map(queue.map((q) => [q.registrationId, q]));
  return rows.map((row) => {
    const q = pending.get(row.registrationId);
    return q && row.status === "CONFIRMED" ? withCheckIn(row, q.scannedAt, byName) : row;
  });
}

/** The list after a server answer to one scan (online, or one result of a sync). */
export function applyScanResponse(index: AttendeeIndex, response: ScanResponse): AttendeeIndex {
  if (response.result === "refused") {
    if (!response.attendee) return index;
    const next = new Map(index);
    next.set(response.attendee.registrationId, response.attendee);
    return next;
  }
  const by = response.result === "already_checked_in" ? response.checkedInByName : response.attendee.checkedInByName;
  const row: AttendeeRow = {
    ...response.attendee,
    status: "CHECKED_IN",
    checkedInAt: response.checkedInAt,
    checkedInByName: by ?? response.attendee.checkedInByName ?? null,
  };
  const next = new Map(index);
  next.set(row.registrationId, row);
  return next;
}

export type SyncOutcome = {
  index: AttendeeIndex;
  /** Nonces the server answered: remove them from the queue. */
  done: string[];
  /** New entries for the conflicts list. */
  conflicts: ConflictEntry[];
};

/**
 * What a sync response does: every answered nonce leaves the queue; the list takes the server's truth
 * (the earliest scan wins); tickets another device checked in first, and offline scans the server
 * refused (cancelled meanwhile, …), go to the conflicts list.
 */
export function applySyncResponse(
  index: AttendeeIndex,
  sent: readonly QueuedScan[],
  response: SyncResponse,
  now: string = new Date().toISOString(),
): SyncOutcome {
  const byNonce = new Map(sent.map((q) => [q.nonce, q]));
  const byRegistration = new Map(sent.map((q) => [q.registrationId, q]));
  let next = index;
  const done: string[] = [];
  const conflicts: ConflictEntry[] = [];
  const conflictNonces = new Set<string>();

  for (const c of response.conflicts) {
    const mine = byNonce.get(c.loserNonce);
    if (!mine) {
      // This phone's scan won: another device's later check-in was moved to it.
      const winner = byRegistration.get(c.registrationId);
      if (winner) {
        conflicts.push({
          key: c.loserNonce,
          eventId: winner.eventId,
          kind: "earlier",
          registrationId: c.registrationId,
          code: c.code,
          name: c.name,
          scannedAt: winner.scannedAt,
          winnerAt: c.winnerAt,
          winnerBy: c.winnerBy,
          otherAt: c.loserScannedAt,
          foundAt: now,
        });
      }
      continue;
    }
    conflictNonces.add(c.loserNonce);
    conflicts.push({
      key: c.loserNonce,
      eventId: mine.eventId,
      kind: "conflict",
      registrationId: c.registrationId,
      code: c.code,
      name: c.name,
      scannedAt: c.loserScannedAt || mine.scannedAt,
      winnerAt: c.winnerAt,
      winnerBy: c.winnerBy,
      foundAt: now,
    });
  }

  for (const r of response.results) {
    const mine = byNonce.get(r.nonce);
    if (!mine) continue;
    done.push(r.nonce);
    next = applyScanResponse(next, r);
    if (r.result === "refused") {
      const row = r.attendee ?? next.get(mine.registrationId);
      conflicts.push({
        key: r.nonce,
        eventId: mine.eventId,
        kind: "refused",
        registrationId: mine.registrationId,
        code: row?.code ?? "",
        name: row ? attendeeName(row) : "",
        scannedAt: mine.scannedAt,
        reason: r.reason,
        foundAt: now,
      });
    } else if (r.result === "already_checked_in" && !conflictNonces.has(r.nonce)) {
      // Checked in elsewhere before this phone's offline scan: the same situation as a listed conflict.
      conflicts.push({
        key: r.nonce,
        eventId: mine.eventId,
        kind: "conflict",
        registrationId: mine.registrationId,
        code: r.attendee.code,
        name: attendeeName(r.attendee),
        scannedAt: mine.scannedAt,
        winnerAt: r.checkedInAt,
        winnerBy: r.checkedInByName,
        foundAt: now,
      });
    }
  }
  return { index: next, done, conflicts };
}

/** Keeps the newest entry per key (a re-sync must not list one conflict twice), newest first. */
export function mergeConflicts(existing: readonly ConflictEntry[], added: readonly ConflictEntry[]): ConflictEntry[] {
  const byKey = new Map(existing.map((c) => [c.key, c]));
  for (const c of added) byKey.set(c.key, c);
  return [...byKey.values()].sort((a, b) => b.foundAt.localeCompare(a.foundAt) || b.scannedAt.localeCompare(a.scannedAt));
}

/**
 * The counters to show: the server's last known figures plus this phone's check-ins that the server
 * has not seen yet (the queue), in total and per ticket type.
 */
export function countersWithQueue(
  server: CheckInCounters,
  queue: readonly QueuedScan[],
  index: AttendeeIndex,
): CheckInCounters {
  if (queue.length === 0) return server;
  const extraPerType = new Map<string, number>();
  let extra = 0;
  const seen = new Set<string>();
  for (const q of queue) {
    if (seen.has(q.registrationId)) continue;
    seen.add(q.registrationId);
    extra++;
    const type = index.get(q.registrationId)?.ticketTypeId;
    if (type) extraPerType.set(type, (extraPerType.get(type) ?? 0) + 1);
  }
  return {
    ...server,
    checkedIn: Math.min(server.expected, server.checkedIn + extra),
    perType: server.perType.map((t) => ({ ...t, checkedIn: Math.min(t.expected, t.checkedIn + (extraPerType.get(t.ticketTypeId) ?? 0)) })),
  };
}

/**
 * Counters computed from the saved list (an offline start, before any server figures): the list
 * carries this phone's queued marks, which countersWithQueue adds again — so `queued` registrations
 * are counted as expected but not yet as checked in here.
 */
export function countersFromList(
  manifest: Pick<CheckInManifest, "counters">,
  rows: readonly AttendeeRow[],
  queued: ReadonlySet<string> = new Set(),
): CheckInCounters {
  const perType = new Map(manifest.counters.perType.map((t) => [t.ticketTypeId, { ...t, checkedIn: 0, expected: 0 }]));
  let checkedIn = 0;
  let expected = 0;
  for (const r of rows) {
    if (r.status !== "CONFIRMED" && r.status !== "CHECKED_IN") continue;
    const t = perType.get(r.ticketTypeId) ?? { ticketTypeId: r.ticketTypeId, name: r.ticketTypeName, checkedIn: 0, expected: 0 };
    t.expected++;
    expected++;
    if (r.status === "CHECKED_IN" && !queued.has(r.registrationId)) {
      t.checkedIn++;
      checkedIn++;
    }
    perType.set(r.ticketTypeId, t);
  }
  return { checkedIn, expected, perType: [...perType.values()], at: manifest.counters.at };
}

/** Lower-case, ё → е, no surrounding spaces: what the local search compares. */
export function searchKey(text: string): string {
  return text.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");
}

/**
 * Offline search over the downloaded list: every word must occur in the name, the email (when the
 * viewer may see it) or the code. Exact code matches first, then by name.
 */
export function searchLocal(rows: readonly AttendeeRow[], query: string, limit = 20): AttendeeRow[] {
  const q = searchKey(query);
  if (q.length < 2) return [];
  const words = q.split(" ");
  const codeQuery = q.replace(/\s/g, "").toUpperCase();
  const hits = rows.filter((r) => {
    const hay = searchKey(`${r.firstName} ${r.lastName ?? ""} ${r.email ?? ""} ${r.code}`);
    return words.every((w) => hay.includes(w));
  });
  hits.sort((a, b) => {
    const ea = a.code === codeQuery ? 0 : 1;
    const eb = b.code === codeQuery ? 0 : 1;
    return ea - eb || attendeeName(a).localeCompare(attendeeName(b));
  });
  return hits.slice(0, limit);
}

/**
 * Repeat-read debounce: the camera sees the same QR many times a second, so the same payload read
 * again within `windowMs` of its last accepted read is ignored. A different payload is always accepted.
 */
export class RepeatDebounce {
  private readonly last = new Map<string, number>();
  constructor(private readonly windowMs = 3000) {}

  accept(payload: string, now: number = Date.now()): boolean {
    const at = this.last.get(payload);
    if (at !== undefined && now - at < this.windowMs) return false;
    for (const [p, t] of this.last) if (now - t >= this.windowMs) this.last.delete(p);
    this.last.set(payload, now);
    return true;
  }

  forget(payload?: string): void {
    if (payload === undefined) this.last.clear();
    else this.last.delete(payload);
  }
}
