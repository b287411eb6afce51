// The scanner's queue / sync / conflict bookkeeping (lib/check-in/client/state.ts): pure functions.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  RepeatDebounce,
  applyScanResponse,
  applySyncResponse,
  countersFromList,
  countersWithQueue,
  indexAttendees,
  makeNonce,
  mergeConflicts,
  overlayQueue,
  searchLocal,
  type ConflictEntry,
  type QueuedScan,
} from "@/lib/check-in/client/state";
import { nonceSchema, type AttendeeRow, type CheckInCounters, type SyncResponse } from "@/lib/validation/check-in";

const EVENT = randomUUID();
const TYPE_A = randomUUID();
const TYPE_B = randomUUID();

function row(firstName: string, overrides: Partial<AttendeeRow> = {}): AttendeeRow {
  return {
    registrationId: randomUUID(),
    code: "ABCD2345",
    firstName,
    lastName: null,
    ticketTypeId: TYPE_A,
    ticketTypeName: "Стандарт",
    status: "CONFIRMED",
    checkedInAt: null,
    checkedInByName: null,
    ...overrides,
  };
}

function queued(r: AttendeeRow, scannedAt = "2026-11-26T10:00:00.000Z"): QueuedScan {
  return { nonce: makeNonce(), eventId: EVENT, method: "MANUAL", registrationId: r.registrationId, deviceId: "dev_1", scannedAt };
}

describe("nonces", () => {
  test("satisfy the contract's nonce schema and differ", () => {
    const a = makeNonce();
    expect(nonceSchema.safeParse(a).success).toBe(true);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(makeNonce()).not.toBe(a);
  });
});

describe("queue overlay", () => {
  test("a fresh server list keeps this phone's queued check-ins", () => {
    const anna = row("Анна");
    const boris = row("Борис");
    const [a, b] = overlayQueue([anna, boris], [queued(anna)], "Я");
    expect(a).toMatchObject({ status: "CHECKED_IN", checkedInAt: "2026-11-26T10:00:00.000Z", checkedInByName: "Я" });
    expect(b.status).toBe("CONFIRMED");
  });

  test("a ticket the server already has as CHECKED_IN (or CANCELLED) keeps the server's row", () => {
    const done = row("Анна", { status: "CHECKED_IN", checkedInAt: "2026-11-26T09:00:00.000Z", checkedInByName: "Ольга" });
    const cancelled = row("Борис", { status: "CANCELLED" });
    const [a, b] = overlayQueue([done, cancelled], [queued(done), queued(cancelled)], "Я");
    expect(a).toEqual(done);
    expect(b).toEqual(cancelled);
  });
});

describe("server answers", () => {
  test("valid and already_checked_in mark the row with the server's time and name", () => {
    const anna = row("Анна");
    let index = indexAttendees([anna]);
    index = applyScanResponse(index, { nonce: "n1234567", result: "valid", attendee: { ...anna, checkedInByName: "Ольга" }, checkedInAt: "2026-11-26T10:00:01.000Z" });
    expect(index.get(anna.registrationId)).toMatchObject({ status: "CHECKED_IN", checkedInAt: "2026-11-26T10:00:01.000Z", checkedInByName: "Ольга" });
    index = applyScanResponse(index, {
      nonce: "n7654321",
      result: "already_checked_in",
      attendee: anna,
      checkedInAt: "2026-11-26T09:59:00.000Z",
      checkedInByName: "Пётр",
    });
    expect(index.get(anna.registrationId)).toMatchObject({ checkedInAt: "2026-11-26T09:59:00.000Z", checkedInByName: "Пётр" });
  });

  test("a refusal with the row updates it (e.g. cancelled meanwhile); without one, nothing changes", () => {
    const anna = row("Анна");
    const index = indexAttendees([anna]);
    expect(applyScanResponse(index, { nonce: "n1234567", result: "refused", reason: "bad_signature" })).toBe(index);
    const next = applyScanResponse(index, { nonce: "n1234567", result: "refused", reason: "cancelled", attendee: { ...anna, status: "CANCELLED" } });
    expect(next.get(anna.registrationId)?.status).toBe("CANCELLED");
    expect(index.get(anna.registrationId)?.status).toBe("CONFIRMED"); // not mutated
  });
});

describe("sync", () => {
  test("answered nonces leave the queue; a conflict and a refusal go to the conflicts list; valid ones do not", () => {
    const anna = row("Анна", { code: "AAAA2222" });
    const boris = row("Борис", { code: "BBBB3333" });
    const vera = row("Вера", { code: "CCCC4444" });
    const sent = [queued(anna, "2026-11-26T10:00:00.000Z"), queued(boris, "2026-11-26T10:01:00.000Z"), queued(vera, "2026-11-26T10:02:00.000Z")];
    const unanswered = queued(row("Глеб"));
    const response: SyncResponse = {
      results: [
        { nonce: sent[0].nonce, result: "valid", attendee: anna, checkedInAt: "2026-11-26T10:00:00.000Z" },
        { nonce: sent[1].nonce, result: "already_checked_in", attendee: boris, checkedInAt: "2026-11-26T09:58:00.000Z", checkedInByName: "Пётр" },
        { nonce: sent[2].nonce, result: "refused", reason: "cancelled", attendee: { ...vera, status: "CANCELLED" } },
      ],
      conflicts: [
        {
          registrationId: boris.registrationId,
          code: boris.code,
          name: "Борис",
          winnerAt: "2026-11-26T09:58:00.000Z",
          winnerBy: "Пётр",
          loserNonce: sent[1].nonce,
          loserScannedAt: "2026-11-26T10:01:00.000Z",
        },
      ],
    };
    const out = applySyncResponse(indexAttendees([anna, boris, vera]), [...sent, unanswered], response, "2026-11-26T10:05:00.000Z");
    expect(out.done.sort()).toEqual(sent.map((s) => s.nonce).sort());
    expect(out.done).not.toContain(unanswered.nonce);
    expect(out.conflicts).toHaveLength(2);
    expect(out.conflicts.find((c) => c.kind === "conflict")).toMatchObject({
      key: sent[1].nonce,
      name: "Борис",
      winnerAt: "2026-11-26T09:58:00.000Z",
      winnerBy: "Пётр",
      scannedAt: "2026-11-26T10:01:00.000Z",
    });
    expect(out.conflicts.find((c) => c.kind === "refused")).toMatchObject({ key: sent[2].nonce, reason: "cancelled", name: "Вера", code: "CCCC4444" });
    expect(out.index.get(anna.registrationId)?.status).toBe("CHECKED_IN");
    expect(out.index.get(boris.registrationId)).toMatchObject({ status: "CHECKED_IN", checkedInByName: "Пётр" });
    expect(out.index.get(vera.registrationId)?.status).toBe("CANCELLED");
  });

  test("an already_checked_in result without a listed conflict still counts as one (checked in elsewhere first)", () => {
    const anna = row("Анна");
    const sent = [queued(anna)];
    const out = applySyncResponse(indexAttendees([anna]), sent, {
      results: [{ nonce: sent[0].nonce, result: "already_checked_in", attendee: anna, checkedInAt: "2026-11-26T09:00:00.000Z", checkedInByName: null }],
      conflicts: [],
    });
    expect(out.conflicts).toEqual([expect.objectContaining({ kind: "conflict", key: sent[0].nonce, winnerAt: "2026-11-26T09:00:00.000Z", winnerBy: null })]);
  });

  test("results and conflicts of tickets this phone did not send are ignored", () => {
    const anna = row("Анна");
    const out = applySyncResponse(indexAttendees([anna]), [], {
      results: [{ nonce: "someoneelse1", result: "valid", attendee: anna, checkedInAt: "2026-11-26T09:00:00.000Z" }],
      conflicts: [{ registrationId: anna.registrationId, code: anna.code, name: "Анна", winnerAt: "x", winnerBy: null, loserNonce: "someoneelse1", loserScannedAt: "y" }],
    });
    expect(out).toMatchObject({ done: [], conflicts: [] });
    expect(out.index.get(anna.registrationId)?.status).toBe("CONFIRMED");
  });

  test("when this phone's offline scan was the earlier one, the replaced check-in is listed as 'earlier'", () => {
    const anna = row("Анна");
    const sent = [queued(anna, "2026-11-26T09:00:00.000Z")];
    const out = applySyncResponse(indexAttendees([anna]), sent, {
      results: [{ nonce: sent[0].nonce, result: "valid", attendee: anna, checkedInAt: "2026-11-26T09:00:00.000Z" }],
      conflicts: [
        {
          registrationId: anna.registrationId,
          code: anna.code,
          name: "Анна",
          winnerAt: "2026-11-26T09:00:00.000Z",
          winnerBy: "Я",
          loserNonce: "otherdevice1",
          loserScannedAt: "2026-11-26T09:30:00.000Z",
        },
      ],
    });
    expect(out.done).toEqual([sent[0].nonce]);
    expect(out.conflicts).toEqual([
      expect.objectContaining({ kind: "earlier", key: "otherdevice1", otherAt: "2026-11-26T09:30:00.000Z", scannedAt: "2026-11-26T09:00:00.000Z" }),
    ]);
  });

  test("a retried sync does not list one conflict twice", () => {
    const entry: ConflictEntry = {
      key: "nonce0001",
      eventId: EVENT,
      kind: "conflict",
      registrationId: randomUUID(),
      code: "AAAA2222",
      name: "Анна",
      scannedAt: "2026-11-26T10:00:00.000Z",
      foundAt: "2026-11-26T10:05:00.000Z",
    };
    const later = { ...entry, key: "nonce0002", foundAt: "2026-11-26T10:06:00.000Z" };
    expect(mergeConflicts([entry], [entry, later]).map((c) => c.key)).toEqual(["nonce0002", "nonce0001"]);
  });
});

describe("counters", () => {
  const server: CheckInCounters = {
    checkedIn: 3,
    expected: 10,
    perType: [
      { ticketTypeId: TYPE_A, name: "A", checkedIn: 2, expected: 6 },
      { ticketTypeId: TYPE_B, name: "B", checkedIn: 1, expected: 4 },
    ],
    at: "2026-11-26T10:00:00.000Z",
  };

  test("queued check-ins are added in total and per type (one per registration)", () => {
    const a = row("Анна", { ticketTypeId: TYPE_A });
    const b = row("Борис", { ticketTypeId: TYPE_B });
    const index = indexAttendees([a, b]);
    const shown = countersWithQueue(server, [queued(a), queued(b), queued(b)], index);
    expect(shown.checkedIn).toBe(5);
    expect(shown.perType).toEqual([
      { ticketTypeId: TYPE_A, name: "A", checkedIn: 3, expected: 6 },
      { ticketTypeId: TYPE_B, name: "B", checkedIn: 2, expected: 4 },
    ]);
    expect(countersWithQueue(server, [], index)).toBe(server);
  });

  test("never above expected", () => {
    const full = { ...server, checkedIn: 10, perType: [{ ticketTypeId: TYPE_A, name: "A", checkedIn: 6, expected: 6 }] };
    const a = row("Анна");
    expect(countersWithQueue(full, [queued(a)], indexAttendees([a])).checkedIn).toBe(10);
  });

  test("from the list: CONFIRMED and CHECKED_IN are expected, the rest is not", () => {
    const rows = [
      row("a", { status: "CHECKED_IN" }),
      row("b"),
      row("c", { status: "CANCELLED" }),
      row("d", { status: "PENDING", ticketTypeId: TYPE_B }),
      row("e", { ticketTypeId: TYPE_B }),
    ];
    const c = countersFromList({ counters: server }, rows);
    expect(c.checkedIn).toBe(1);
    expect(c.expected).toBe(3);
    expect(c.perType.find((t) => t.ticketTypeId === TYPE_A)).toMatchObject({ checkedIn: 1, expected: 2 });
    expect(c.perType.find((t) => t.ticketTypeId === TYPE_B)).toMatchObject({ checkedIn: 0, expected: 1 });
  });

  test("from the list: this phone's queued marks are left to countersWithQueue (not counted twice)", () => {
    const mine = row("a", { status: "CHECKED_IN" });
    const rows = [mine, row("b", { status: "CHECKED_IN" }), row("c")];
    const fromList = countersFromList({ counters: server }, rows, new Set([mine.registrationId]));
    expect(fromList.checkedIn).toBe(1);
    expect(countersWithQueue(fromList, [queued(mine)], indexAttendees(rows)).checkedIn).toBe(2);
  });
});

describe("local search", () => {
  const rows = [
    row("Алёна", { lastName: "Смирнова", code: "SMRN2345", email: "alena@example.com" }),
    row("Алексей", { lastName: "Иванов", code: "IVNV2345", email: null }),
    row("Борис", { lastName: "Алёхин", code: "BRSA7777" }),
  ];

  test("by name words in any order, ё = е, case-insensitive", () => {
    expect(searchLocal(rows, "смирнова алена").map((r) => r.firstName)).toEqual(["Алёна"]);
    expect(searchLocal(rows, "але").map((r) => r.firstName)).toEqual(["Алексей", "Алёна", "Борис"]);
  });

  test("by code (exact match first) and by email", () => {
    expect(searchLocal(rows, "ivnv2345").map((r) => r.firstName)).toEqual(["Алексей"]);
    expect(searchLocal(rows, "alena@example").map((r) => r.firstName)).toEqual(["Алёна"]);
  });

  test("one character or nothing found → empty", () => {
    expect(searchLocal(rows, "а")).toEqual([]);
    expect(searchLocal(rows, "Зоя")).toEqual([]);
  });
});

describe("repeat-read debounce", () => {
  test("the same payload within 3 s is ignored, after that accepted again; others always", () => {
    const d = new RepeatDebounce(3000);
    expect(d.accept("AQ1.x", 0)).toBe(true);
    expect(d.accept("AQ1.x", 1000)).toBe(false);
    expect(d.accept("AQ1.y", 1500)).toBe(true);
    expect(d.accept("AQ1.x", 2999)).toBe(false);
    expect(d.accept("AQ1.x", 3000)).toBe(true);
    expect(d.accept("AQ1.x", 3500)).toBe(false);
    d.forget("AQ1.x");
    expect(d.accept("AQ1.x", 3600)).toBe(true);
  });
});
