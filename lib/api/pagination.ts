// Cursor pagination of the REST API v1 lists (docs/api.md → "Conventions of every endpoint").
//
//   // lib/api/v1/registrations.ts
//   query: z.object({ ...paginationShape, status: z.enum([...]).optional() }),
//   handler: async ({ query, params }) => {
//     const fingerprint = cursorFingerprint("listRegistrations", params.eventId, { status: query.status, updatedSince: query.updatedSince });
//     const after = query.cursor ? decodeCursor(query.cursor, fingerprint, z.tuple([z.string(), z.string()])) : null;
//     const rows = await listRegistrationsPage({ actor, eventId, after, take: query.limit + 1, … });
//     return page(rows, query.limit, fingerprint, (r) => [r.updatedAt.toISOString(), r.id]);
//   },
//   response: listResponse(apiRegistration),
//
// A cursor is opaque to the caller (base64url of JSON) and carries a fingerprint of the query it
// belongs to — the operation, its path params and its filters, never `limit` or `cursor` — so a cursor
// of another query (another event, another filter) or garbage is refused with 400
// fieldErrors.cursor = api.errors.cursorInvalid instead of silently paging something else.
// Pure module (node:crypto only): the operations, the OpenAPI document and the unit tests import it.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 100;
const CURSOR_MAX_LENGTH = 1024;

/** `limit` (1–100, default 50) from the query string. */
export const pageLimit = z.coerce
  .number({ error: "api.errors.limitInvalid" })
  .int({ error: "api.errors.limitInvalid" })
  .min(1, { error: "api.errors.limitInvalid" })
  .max(PAGE_LIMIT_MAX, { error: "api.errors.limitInvalid" })
  .default(PAGE_LIMIT_DEFAULT);

/** `cursor`: the opaque `nextCursor` of the previous page (checked by decodeCursor against the query). */
export const pageCursor = z.string({ error: "api.errors.cursorInvalid" }).min(1, { error: "api.errors.cursorInvalid" }).max(CURSOR_MAX_LENGTH, { error: "api.errors.cursorInvalid" });

/** `updatedSince`: ISO 8601 time (with Z or an offset) → Date; only rows changed since (for sync). */
export const updatedSince = z
  .string({ error: "api.errors.updatedSinceInvalid" })
  .refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)), {
    error: "api.errors.updatedSinceInvalid",
  })
  .transform((value) => new Date(value));

/** The query fields every list takes: spread into the operation's query object. */
export const paginationShape = {
  limit: pageLimit,
  cursor: pageCursor.optional(),
  updatedSince: updatedSince.optional(),
};

/** The query of a list with no filters of its own. */
export const paginationQuery = z.object(paginationShape);
export type PaginationQuery = z.output<typeof paginationQuery>;

/** `{ ok: true, data: T[], nextCursor: string | null }`: the answer of every list. */
export function listResponse<T extends z.ZodType>(item: T) {
  return z.object({ ok: z.literal(true), data: z.array(item), nextCursor: z.string().nullable() });
}

/** `{ ok: true, data: T }`: the answer of one object. */
export function objectResponse<T extends z.ZodType>(schema: T) {
  return z.object({ ok: z.literal(true), data: schema });
}

function canonical(value: unknown): string {
  if (value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

/**
 * The fingerprint of a query: the operation id, its path params and its filters (anything that changes
 * which rows the list holds or their order; not `limit`, not `cursor`). Object keys are sorted, so
 * `{ a, b }` and `{ b, a }` are the same query.
 */
export function cursorFingerprint(...parts: unknown[]): string {
  return createHash("sha256").update(canonical(parts)).digest("base64url").slice(0, 16);
}

/** An opaque cursor: the query's fingerprint and the position after the last row of the page. */
export function encodeCursor(fingerprint: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, p: position }), "utf8").toString("base64url");
}

export const cursorInvalid = () => new AppError("VALIDATION", "errors.validation", { cursor: "api.errors.cursorInvalid" });

/**
 * The position a cursor carries, when the cursor belongs to this query (same fingerprint) and its
 * position has the expected shape; else VALIDATION with fieldErrors.cursor = api.errors.cursorInvalid.
 */
export function decodeCursor<T = unknown>(cursor: string, fingerprint: string, position?: z.ZodType<T>): T {
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw cursorInvalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw cursorInvalid();
  }
  if (decoded === null || typeof decoded !== "object" || Array.isArray(decoded)) throw cursorInvalid();
  const { f, p } = decoded as { f?: unknown; p?: unknown };
  if (f !== fingerprint || p === undefined) throw cursorInvalid();
  if (!position) return p as T;
  const parsed = position.safeParse(p);
  if (!parsed.success) throw cursorInvalid();
  return parsed.data;
}

/**
 * A page from rows fetched with `take: limit + 1` (the extra row only says that there is more): the
 * first `limit` rows and the cursor after the last of them, or null at the end.
 */
export function page<Row, Item = Row>(
  rows: readonly Row[],
  limit: number,
  fingerprint: string,
  positionOf: (row: Row) => unknown,
  toItem: (row: Row) => Item = (row) => row as unknown as Item,
): { ok: true; data: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows.slice();
  const last = shown[shown.length - 1];
  return { ok: true, data: shown.map(toItem), nextCursor: more && last !== undefined ? encodeCursor(fingerprint, positionOf(last)) : null };
}
