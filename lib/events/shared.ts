// Helpers shared by the events services (events, lifecycle, ticket types, reminders).
import "server-only";
import { env } from "@/lib/env";
import { translatorFor } from "@/lib/i18n/catalogue";
import { AppError, type FieldErrors } from "@/lib/errors";
import type { EventStatus, LocationType, Prisma } from "@/lib/generated/prisma/client";
import { publicEventPath } from "./paths";
import { eventFieldErrors } from "@/lib/validation/events";
import type { z } from "zod";
import { en, ru } from "./messages";
import { EDITABLE_EVENT_STATUSES } from "./status";

export const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
export const conflict = (key: keyof typeof ru.errors) => new AppError("CONFLICT", `events.errors.${key}`);
export const validationError = (fieldErrors: FieldErrors) => new AppError("VALIDATION", "errors.validation", fieldErrors);

/** Parses with a schema; failures become VALIDATION with field errors (message keys). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(eventFieldErrors(parsed.error));
  return parsed.data;
}

/** JSON-safe audit value: Dates as ISO strings. */
export function auditValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  return value;
}

/** JSON with object keys sorted: equal data gives equal text whatever the key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : false;
  }
  if (a && b && typeof a === "object" && typeof b === "object") return stableJson(a) === stableJson(b);
  return (a ?? null) === (b ?? null);
}

/** `{ field: { from, to } }` for the fields whose value differs. */
export function diff<K extends string>(before: Record<K, unknown>, after: Record<K, unknown>, fields: readonly K[]): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const f of fields) {
    if (!sameValue(before[f], after[f])) changes[f] = { from: auditValue(before[f]), to: auditValue(after[f]) };
  }
  return changes;
}

/** Locks the event row against status changes for the rest of the transaction and checks it is editable. */
export async function lockEditableEvent(tx: Prisma.TransactionClient, eventId: string): Promise<{ status: EventStatus; timezone: string }> {
  const rows = await tx.$queryRaw<{ status: EventStatus; timezone: string }[]>`
    SELECT status, timezone FROM events WHERE id = ${eventId}::uuid AND deleted_at IS NULL FOR SHARE`;
  if (rows.length === 0) throw notFound();
  return rows[0];
}

export function assertEditable(status: EventStatus, error: "notEditable" | "eventClosed" = "notEditable"): void {
  if (!EDITABLE_EVENT_STATUSES.includes(status)) throw conflict(error);
}

// ───────────────────────────── notification variables ─────────────────────────────

export type UserLocale = "RU" | "EN";
export const textsFor = (locale: UserLocale | string | null | undefined) => (locale === "EN" ? en : ru);

/** The public page of an event: `${APP_URL}/e/<organization>/<event>`. */
export function eventPublicUrl(organizationSlug: string, eventSlug: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}${publicEventPath(organizationSlug, eventSlug)}`;
}

/** "Venue" of a message: the address, "Онлайн", or "<address> и онлайн". */
export function eventLocationText(
  event: { locationType: LocationType; locationAddress: string | null },
  locale: UserLocale | string | null | undefined,
): string {
  const t = translatorFor(locale === "EN" ? "en" : "ru");
  if (event.locationType === "ONLINE") return t("events.notifications.online");
  if (event.locationType === "HYBRID") return event.locationAddress ? t("events.notifications.hybrid", { address: event.locationAddress }) : t("events.notifications.online");
  return event.locationAddress ?? "";
}
