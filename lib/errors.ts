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
  constructor(
    public readonly code: ErrorCode,
    /** A message key of the locale catalogue (errors.*) or a plain message. */
    message: string,
    public readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
    this.httpStatus = STATUS[code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Unique-violation target (constraint or columns) of a Prisma error, if it is one. */
export function uniqueViolation(e: unknown): string | undefined {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
    const target = (e.meta as { target?: unknown; driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } } })
      ?.target;
    const cause = (e.meta as { driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } } })?.driverAdapterError
      ?.cause?.constraint;
    if (cause?.index) return cause.index;
    if (cause?.fields) return cause.fields.join(",");
    if (Array.isArray(target)) return target.join(",");
    if (typeof target === "string") return target;
    return "unknown";
  }
  return undefined;
}

/** Small result DTO returned by server actions. */
export type ActionResult<T = Record<string, never>> =
  | ({ ok: true } & T)
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors };

export function toActionError(e: unknown): { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors } {
  if (isAppError(e)) return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors };
  console.error(e);
  return { ok: false, code: "INTERNAL", message: "errors.internal" };
}
