// Typed domain errors. A code maps to an HTTP status and a user-facing message key; Prisma errors
// never reach the user (toAppError translates the few that carry meaning).
import { Prisma } from "@/lib/generated/prisma/client";

export type ErrorCode =
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "LOCKED"
  | "INTERNAL";

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly httpStatus: number;
  /** The `code` of the JSON error body when an endpoint needs a finer one than `code` (e.g. TOO_LARGE). */
  readonly apiCode: string;
  /** Extra facts for the form (e.g. the organizations that block an account deletion), added to the action's failure. */
  readonly details?: Record<string, unknown>;
  constructor(
    public readonly code: ErrorCode,
    /** A message key of the locale catalogue (errors.*) or a plain message. */
    message: string,
    public readonly fieldErrors?: FieldErrors,
    /** A status other than the code's (413, 415, 422 of an upload) and the body's finer code. */
    options: { httpStatus?: number; apiCode?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.httpStatus = options.httpStatus ?? STATUS[code];
    this.apiCode = options.apiCode ?? code;
    if (options.details) this.details = options.details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** What a failed write carried, when the failure came from PostgreSQL. */
export type DbErrorInfo = {
  /** Prisma's code when it maps one (P2002 unique, P2003 foreign key, P2010 raw query, …). */
  prismaCode?: string;
  /** PostgreSQL SQLSTATE: 23505 unique, 23514 check (also the OWNER trigger), 23503 foreign key. */
  sqlState?: string;
  /** Every message the error carried; PostgreSQL's names the constraint or index. */
  message: string;
};

type AdapterCause = { kind?: string; originalCode?: string; originalMessage?: string; code?: string; message?: string };

/**
 * Reads a Prisma 6.19 (adapter-pg) error. What it throws depends on the kind of violation:
 * - unique / foreign key / not null: PrismaClientKnownRequestError P2002 / P2003 / P2011, with
 *   meta.driverAdapterError.cause.originalMessage naming the index (meta.target is absent and
 *   cause.constraint.fields lists columns, not the partial index name);
 * - CHECK constraints and trigger exceptions from model calls: the raw `DriverAdapterError`
 *   (not a PrismaClientKnownRequestError!), cause.kind "postgres", cause.code the SQLSTATE;
 * - anything from $executeRaw / $queryRaw: PrismaClientKnownRequestError P2010.
 * Returns null for errors that did not come from the database (validation, not found, …).
 */
export function dbErrorInfo(e: unknown): DbErrorInfo | null {
  let cause: AdapterCause | undefined;
  let prismaCode: string | undefined;
  if (e instanceof Prisma.PrismaClientKnownRequestError) {
    prismaCode = e.code;
    cause = (e.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined)?.driverAdapterError?.cause;
  } else if (e instanceof Error && e.name === "DriverAdapterError") {
    cause = (e as Error & { cause?: AdapterCause }).cause;
  } else if (e instanceof Error && typeof (e as { code?: unknown }).code === "string" && "severity" in e) {
    // A plain `pg` DatabaseError (tests that talk to PostgreSQL directly).
    const pgErr = e as unknown as Error & { code: string; constraint?: string };
    return { sqlState: pgErr.code, message: [pgErr.message, pgErr.constraint].filter(Boolean).join("\n") };
  }
  if (!cause) return null;
  const message = [cause.originalMessage, cause.message, e instanceof Error ? e.message : undefined].filter(Boolean).join("\n");
  return { prismaCode, sqlState: cause.originalCode ?? cause.code, message };
}

/**
 * The unique index or constraint a write violated (e.g. "users_email_active_key"), or undefined when
 * the error is not a unique violation. Partial unique indexes are named in PostgreSQL's message only.
 */
export function uniqueViolation(e: unknown): string | undefined {
  const info = dbErrorInfo(e);
  if (!info || (info.prismaCode !== "P2002" && info.sqlState !== "23505")) return undefined;
  const named = /unique constraint "([^"]+)"/.exec(info.message);
  if (named) return named[1];
  const fields = (e as { meta?: { driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } }).meta?.driverAdapterError?.cause
    ?.constraint?.fields;
  return fields?.join(",") ?? "unknown";
}

/** The CHECK constraint (or constraint trigger) a write violated, or undefined. */
export function checkViolation(e: unknown): string | undefined {
  const info = dbErrorInfo(e);
  if (!info || info.sqlState !== "23514") return undefined;
  return /constraint "([^"]+)"/.exec(info.message)?.[1] ?? /^(\w+):/m.exec(info.message)?.[1] ?? "unknown";
}

/** The failure of a server action: a code, a message key, field errors for the form, and an error's details. */
export type ActionFailure = { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors; details?: Record<string, unknown> };

/** Small result DTO returned by server actions. */
export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionFailure;

export function toActionError(e: unknown): ActionFailure {
  if (isAppError(e)) return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors, ...(e.details ? { details: e.details } : {}) };
  console.error(e);
  return { ok: false, code: "INTERNAL", message: "errors.internal" };
}
