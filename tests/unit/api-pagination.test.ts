// lib/api/pagination.ts: cursors carry the query's fingerprint; another query's cursor, garbage or a
// position of the wrong shape is VALIDATION fieldErrors.cursor; the limit / updatedSince fragment; page().
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { cursorFingerprint, decodeCursor, encodeCursor, listResponse, objectResponse, page, paginationQuery } from "@/lib/api/pagination";

const cursorError = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code: string }).code, fieldErrors: (e as { fieldErrors: unknown }).fieldErrors };
  }
  return null;
};
const INVALID = { code: "VALIDATION", fieldErrors: { cursor: "api.errors.cursorInvalid" } };

describe("cursors", () => {
  test("a cursor round-trips its position for the same query, opaque base64url", () => {
    const f = cursorFingerprint("listRegistrations", "event-1", { status: "CONFIRMED" });
    const cursor = encodeCursor(f, ["2026-01-01T00:00:00.000Z", "id-9"]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, f)).toEqual(["2026-01-01T00:00:00.000Z", "id-9"]);
    expect(decodeCursor(cursor, f, z.tuple([z.string(), z.string()]))).toEqual(["2026-01-01T00:00:00.000Z", "id-9"]);
  });

  test("the fingerprint ignores key order and undefined, and changes with any filter, path param or operation", () => {
    const base = cursorFingerprint("op", "e1", { a: 1, b: "x", c: undefined });
    expect(cursorFingerprint("op", "e1", { b: "x", a: 1 })).toBe(base);
    expect(cursorFingerprint("op", "e2", { a: 1, b: "x" })).not.toBe(base);
    expect(cursorFingerprint("op", "e1", { a: 2, b: "x" })).not.toBe(base);
    expect(cursorFingerprint("other", "e1", { a: 1, b: "x" })).not.toBe(base);
    expect(cursorFingerprint("op", "e1", { a: 1, b: "x", since: new Date(0) })).not.toBe(base);
  });

  test("a cursor of another query, garbage, or a position of the wrong shape → VALIDATION fieldErrors.cursor", () => {
    const mine = cursorFingerprint("op", { status: "A" });
    const theirs = cursorFingerprint("op", { status: "B" });
    const cursor = encodeCursor(theirs, 5);
    expect(cursorError(() => decodeCursor(cursor, mine))).toEqual(INVALID);
    expect(cursorError(() => decodeCursor("!!!", mine))).toEqual(INVALID);
    expect(cursorError(() => decodeCursor("", mine))).toEqual(INVALID);
    expect(cursorError(() => decodeCursor(Buffer.from("not json").toString("base64url"), mine))).toEqual(INVALID);
    expect(cursorError(() => decodeCursor(Buffer.from("[1]").toString("base64url"), mine))).toEqual(INVALID);
    expect(cursorError(() => decodeCursor(Buffer.from(JSON.stringify({ f: mine })).toString("base64url"), mine))).toEqual(INVALID);
    expect(cursorError(() => decodeCursor(encodeCursor(mine, "five"), mine, z.number()))).toEqual(INVALID);
    expect(cursorError(() => decodeCursor("a".repeat(2000), mine))).toEqual(INVALID);
    expect(decodeCursor(encodeCursor(mine, 5), mine, z.number())).toBe(5);
  });
});

describe("the list query and answers", () => {
  test("limit 1–100, default 50; updatedSince an ISO time → Date", () => {
    expect(paginationQuery.parse({})).toEqual({ limit: 50 });
    expect(paginationQuery.parse({ limit: "100", updatedSince: "2026-03-01T10:00:00Z" })).toEqual({ limit: 100, updatedSince: new Date("2026-03-01T10:00:00Z") });
    expect(paginationQuery.parse({ updatedSince: "2026-03-01T10:00:00.123+03:00" }).updatedSince).toEqual(new Date("2026-03-01T07:00:00.123Z"));
    for (const limit of ["0", "101", "1.5", "ten"]) {
      const r = paginationQuery.safeParse({ limit });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].message).toBe("api.errors.limitInvalid");
    }
    for (const updatedSince of ["yesterday", "2026-03-01", "2026-13-45T99:00:00Z"]) {
      const r = paginationQuery.safeParse({ updatedSince });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].message).toBe("api.errors.updatedSinceInvalid");
    }
  });

  test("page(): limit + 1 rows → the first `limit` and a cursor after the last; the last page → null", () => {
    const f = cursorFingerprint("op");
    const rows = [1, 2, 3, 4];
    const first = page(rows, 3, f, (n) => n, (n) => ({ n }));
    expect(first.data).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(decodeCursor(first.nextCursor!, f)).toBe(3);
    expect(page([4], 3, f, (n) => n)).toEqual({ ok: true, data: [4], nextCursor: null });
    expect(page([], 3, f, (n) => n)).toEqual({ ok: true, data: [], nextCursor: null });
  });

  test("listResponse / objectResponse shapes", () => {
    const item = z.object({ id: z.string() });
    expect(listResponse(item).parse({ ok: true, data: [{ id: "a" }], nextCursor: null })).toEqual({ ok: true, data: [{ id: "a" }], nextCursor: null });
    expect(listResponse(item).safeParse({ ok: true, data: [{ id: 1 }], nextCursor: null }).success).toBe(false);
    expect(objectResponse(item).parse({ ok: true, data: { id: "a" } })).toEqual({ ok: true, data: { id: "a" } });
    expect(objectResponse(item).safeParse({ ok: false, data: { id: "a" } }).success).toBe(false);
  });
});
