// The scanner's list, format 2 (lib/check-in/manifest-format.ts): decoding the columns, merging an
// incremental answer, reading back a list an older scanner saved.
import { describe, expect, test } from "vitest";
import { decodeRows, mergeManifest, storedManifestOf, type StoredManifest } from "@/lib/check-in/manifest-format";
import { ATTENDEE_STATUS_CODES, MANIFEST_FORMAT, type CheckInManifest, type CompactManifest } from "@/lib/validation/check-in";

const EVENT = { id: "e1", title: "E", startsAt: "2027-01-01T10:00:00.000Z", timezone: "UTC", status: "PUBLISHED", organizationSlug: "o" };
const COUNTERS = { checkedIn: 1, expected: 2, perType: [], at: "2027-01-01T10:00:00.000Z" };

function answer(overrides: Partial<CompactManifest> = {}): CompactManifest {
  return {
    format: MANIFEST_FORMAT,
    full: true,
    cursor: "100",
    event: EVENT,
    publicKeySpki: "KEY",
    viewer: { kind: "door", name: "Вход 1" },
    counters: COUNTERS,
    generatedAt: "2027-01-01T10:00:00.000Z",
    ticketTypes: [
      { id: "t-std", name: "Стандарт" },
      { id: "t-vip", name: "VIP" },
    ],
    checkers: ["Вход 1", "Мария Модератор"],
    rows: {
      id: ["r1", "r2", "r3"],
      code: ["AAAA2222", "BBBB3333", "CCCC4444"],
      name: ["Анна Иванова", "Борис", "Вера Кузнецова"],
      type: [0, 1, 0],
      status: "ICX",
      at: [1_798_797_600, 0, 0],
      by: [1, -1, -1],
    },
    ...overrides,
  };
}

describe("decodeRows", () => {
  test("columns → attendee rows: type and checker tables resolved, status letters, seconds → ISO", () => {
    expect(decodeRows(answer())).toEqual([
      {
        registrationId: "r1",
        code: "AAAA2222",
        firstName: "Анна Иванова",
        lastName: null,
        ticketTypeId: "t-std",
        ticketTypeName: "Стандарт",
        status: "CHECKED_IN",
        checkedInAt: "2027-01-01T10:00:00.000Z",
        checkedInByName: "Мария Модератор",
      },
      { registrationId: "r2", code: "BBBB3333", firstName: "Борис", lastName: null, ticketTypeId: "t-vip", ticketTypeName: "VIP", status: "CONFIRMED", checkedInAt: null, checkedInByName: null },
      { registrationId: "r3", code: "CCCC4444", firstName: "Вера Кузнецова", lastName: null, ticketTypeId: "t-std", ticketTypeName: "Стандарт", status: "CANCELLED", checkedInAt: null, checkedInByName: null },
    ]);
  });

  test("the sparse due column: the unpaid remainder lands on its attendee only; an index outside the rows is refused", () => {
    const base = answer();
    const rows = decodeRows({ ...base, rows: { ...base.rows, due: [[1, 150_000, "RUB"]] } });
    expect(rows.map((r) => r.due)).toEqual([undefined, { cents: 150_000, currency: "RUB" }, undefined]);
    expect("due" in rows[0]).toBe(false);
    expect(() => decodeRows({ ...base, rows: { ...base.rows, due: [[3, 100, "RUB"]] } })).toThrow(/due amount/);
  });

  test("every status has its own letter", () => {
    const letters = Object.values(ATTENDEE_STATUS_CODES);
    expect(new Set(letters).size).toBe(letters.length);
    for (const l of letters) expect(l).toHaveLength(1);
  });

  test("columns of different lengths, an unknown status or ticket type are refused", () => {
    const a = answer();
    expect(() => decodeRows({ ...a, rows: { ...a.rows, code: ["X"] } })).toThrow(/length/);
    expect(() => decodeRows({ ...a, rows: { ...a.rows, status: "IC?" } })).toThrow(/unknown/);
    expect(() => decodeRows({ ...a, rows: { ...a.rows, type: [0, 5, 0] } })).toThrow(/unknown/);
  });
});

describe("mergeManifest", () => {
  test("a full answer replaces the list; an incremental one replaces and adds rows, renames types, takes the new head", () => {
    const first = mergeManifest(undefined, answer(), 'W/"a"');
    expect(first).toMatchObject({ format: MANIFEST_FORMAT, cursor: "100", etag: 'W/"a"' });
    expect(first.attendees).toHaveLength(3);

    const next = mergeManifest(
      first,
      answer({
        full: false,
        cursor: "120",
        counters: { ...COUNTERS, checkedIn: 2 },
        ticketTypes: [
          { id: "t-std", name: "Стандарт+" },
          { id: "t-vip", name: "VIP" },
        ],
        checkers: ["Вход 2"],
        rows: { id: ["r2", "r4"], code: ["BBBB3333", "DDDD5555"], name: ["Борис", "Глеб"], type: [1, 0], status: "IP", at: [1_798_797_660, 0], by: [0, -1] },
      }),
      'W/"b"',
    );
    expect(next).toMatchObject({ cursor: "120", etag: 'W/"b"', counters: { checkedIn: 2 } });
    const byId = new Map(next.attendees.map((a) => [a.registrationId, a]));
    expect([...byId.keys()].sort()).toEqual(["r1", "r2", "r3", "r4"]);
    expect(byId.get("r2")).toMatchObject({ status: "CHECKED_IN", checkedInByName: "Вход 2", checkedInAt: "2027-01-01T10:01:00.000Z" });
    expect(byId.get("r4")).toMatchObject({ status: "PENDING", ticketTypeName: "Стандарт+" });
    // Unchanged rows keep their state and take the type's new name.
    expect(byId.get("r1")).toMatchObject({ status: "CHECKED_IN", checkedInByName: "Мария Модератор", ticketTypeName: "Стандарт+" });
  });

  test("an incremental answer without a stored list, or of another format, is refused", () => {
    expect(() => mergeManifest(undefined, answer({ full: false }), null)).toThrow(/stored list/);
    expect(() => mergeManifest(undefined, { ...answer(), format: 1 } as unknown as CompactManifest, null)).toThrow(/format/);
  });
});

describe("storedManifestOf", () => {
  test("format 2 as saved; an older scanner's list without a cursor (the next download is full); anything else is none", () => {
    const stored: StoredManifest = mergeManifest(undefined, answer(), null);
    expect(storedManifestOf(stored)).toBe(stored);
    const old: CheckInManifest = {
      event: EVENT,
      publicKeySpki: "KEY",
      attendees: decodeRows(answer()),
      counters: COUNTERS,
      generatedAt: "2027-01-01T10:00:00.000Z",
      viewer: { kind: "staff", name: "Мария" },
    };
    expect(storedManifestOf(old)).toEqual({ ...old, format: MANIFEST_FORMAT, cursor: null, etag: null });
    expect(storedManifestOf(undefined)).toBeUndefined();
    expect(storedManifestOf({ format: 2, rows: {} })).toBeUndefined();
  });
});
