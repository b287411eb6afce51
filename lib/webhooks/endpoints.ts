// The organization's webhook endpoints and their delivery log (docs/webhooks.md → "Endpoints"). Staff see
// (`webhooks.view`), the owner changes (`webhooks.manage`); everything is scoped to the organization the
// permission layer authorized — an endpoint or a delivery of another organization is "not found". Every
// change writes an audit row in its transaction; the signing secret is returned once (creation, rotation)
// and stored encrypted (lib/payments/secrets.ts, context "webhook:<endpointId>").
import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { writeAudit } from "@/lib/audit";
import { db, empty, sql, onPrisma, TX_PROFILES, type Prisma } from "@/lib/db";
import { AppError, type FieldErrors } from "@/lib/errors";
import { enqueue, kick } from "@/lib/jobs";
import { encryptSecret } from "@/lib/payments";
import { authorizeOrganization, isUuid, type Actor } from "@/lib/permissions";
import { webhookEndpointFormSchema, type WebhookEndpointForm } from "@/lib/validation/webhooks";
import { attemptJobId, secretContext } from "./deliver";
import { WEBHOOK_MAX_ENDPOINTS, isWebhookEventType, type WebhookDeliveryStatus, type WebhookEventType } from "./types";
import { checkWebhookUrl, type UrlGuardOptions } from "./url-guard";

const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
const invalid = (fieldErrors: FieldErrors) => new AppError("VALIDATION", "errors.validation", fieldErrors);

/** A new signing secret: "whsec_" + base64 of 24 random bytes (the Standard Webhooks form). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export type WebhookEndpointView = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  disabledReason: "FAILING" | "MANUAL" | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const endpointSelect = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  failingSince: true,
  createdAt: true,
  updatedAt: true,
} as const;

type EndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof endpointSelect }>;

function toView(row: EndpointRow): WebhookEndpointView {
  return {
    ...row,
    eventTypes: row.eventTypes.filter(isWebhookEventType),
    disabledReason: row.disabledReason === "FAILING" || row.disabledReason === "MANUAL" ? row.disabledReason : null,
  };
}

type Base = { actor: Actor | null | undefined; organizationId: string };

/** Parses the form again (the service trusts no caller) and checks the URL with the network rules. */
async function parseEndpointInput(input: WebhookEndpointForm, guard?: UrlGuardOptions) {
  const parsed = webhookEndpointFormSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join(".") || "_form"] ??= issue.message;
    throw invalid(fieldErrors);
  }
  const check = await checkWebhookUrl(parsed.data.url, guard);
  if (!check.ok) throw invalid({ url: `webhooks.errors.url.${check.reason}` });
  return { ...parsed.data, url: check.url.toString() };
}

async function findEndpoint(tx: Prisma.TransactionClient | typeof db, organizationId: string, endpointId: string): Promise<EndpointRow> {
  if (!isUuid(endpointId)) throw notFound();
  const row = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, organizationId }, select: endpointSelect });
  if (!row) throw notFound();
  return row;
}

export async function listEndpoints(options: Base): Promise<WebhookEndpointView[]> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.view" });
  const rows = await db.webhookEndpoint.findMany({ where: { organizationId: access.organization.id }, select: endpointSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toView);
}

export async function getEndpoint(options: Base & { endpointId: string }): Promise<WebhookEndpointView> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.view" });
  return toView(await findEndpoint(db, access.organization.id, options.endpointId));
}

/** Creates an endpoint; the secret is in the answer and nowhere else readable. At most WEBHOOK_MAX_ENDPOINTS. */
export async function createEndpoint(
  options: Base & { input: WebhookEndpointForm; guard?: UrlGuardOptions },
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.manage" });
  const input = await parseEndpointInput(options.input, options.guard);
  const organizationId = access.organization.id;
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const row = await db.$transaction(async (tx) => {
    // The organization's row serializes creations: the count below cannot be raced past the limit.
    await tx.$executeRaw`SELECT 1 FROM organizations WHERE id = ${organizationId}::uuid FOR NO KEY UPDATE`;
    const count = await tx.webhookEndpoint.count({ where: { organizationId } });
    if (count >= WEBHOOK_MAX_ENDPOINTS) throw new AppError("CONFLICT", "webhooks.errors.tooManyEndpoints");
    const created = await tx.webhookEndpoint.create({
      data: {
        id,
        organizationId,
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        secretCiphertext: encryptSecret(secret, secretContext(id)),
        createdBy: options.actor!.userId,
      },
      select: endpointSelect,
    });
    await writeAudit(tx, {
      organizationId,
      actorId: options.actor!.userId,
      entityType: "webhook_endpoint",
      entityId: id,
      action: "webhook_endpoint.created",
      changes: { url: input.url, eventTypes: input.eventTypes, description: input.description },
    });
    return created;
  }, TX_PROFILES.standard);
  return { endpoint: toView(row), secret };
}

export async function updateEndpoint(
  options: Base & { endpointId: string; input: WebhookEndpointForm; guard?: UrlGuardOptions },
): Promise<WebhookEndpointView> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.manage" });
  const organizationId = access.organization.id;
  await findEndpoint(db, organizationId, options.endpointId); // another organization's endpoint: not found, whatever the input
  const input = await parseEndpointInput(options.input, options.guard);
  return db.$transaction(async (tx) => {
    const before = await findEndpoint(tx, organizationId, options.endpointId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (before.url !== input.url) changes.url = { from: before.url, to: input.url };
    if ((before.description ?? null) !== input.description) changes.description = { from: before.description, to: input.description };
    if (before.eventTypes.join(",") !== input.eventTypes.join(",")) changes.eventTypes = { from: before.eventTypes, to: input.eventTypes };
    if (Object.keys(changes).length === 0) return toView(before);
    const row = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: { url: input.url, description: input.description, eventTypes: input.eventTypes },
      select: endpointSelect,
    });
    await writeAudit(tx, {
      organizationId,
      actorId: options.actor!.userId,
      entityType: "webhook_endpoint",
      entityId: before.id,
      action: "webhook_endpoint.updated",
      changes,
    });
    return toView(row);
  }, TX_PROFILES.standard);
}

/** Deletes an endpoint with its deliveries and their log (the audit row stays). */
export async function deleteEndpoint(options: Base & { endpointId: string }): Promise<{ deleted: true }> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.manage" });
  const organizationId = access.organization.id;
  await db.$transaction(async (tx) => {
    const before = await findEndpoint(tx, organizationId, options.endpointId);
    await tx.webhookEndpoint.delete({ where: { id: before.id } });
    await writeAudit(tx, {
      organizationId,
      actorId: options.actor!.userId,
      entityType: "webhook_endpoint",
      entityId: before.id,
      action: "webhook_endpoint.deleted",
      changes: { url: before.url, eventTypes: before.eventTypes },
    });
  }, TX_PROFILES.standard);
  return { deleted: true };
}

/**
 * Switches an endpoint on or off by hand. Off: new changes write no events for it and its pending
 * deliveries end FAILED at their next turn. On: the run of failures starts afresh (failing_since cleared).
 */
export async function setEndpointEnabled(options: Base & { endpointId: string; enabled: boolean }): Promise<{ changed: boolean; endpoint: WebhookEndpointView }> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.manage" });
  const organizationId = access.organization.id;
  return db.$transaction(async (tx) => {
    const before = await findEndpoint(tx, organizationId, options.endpointId);
    const now = new Date();
    const switched = await tx.webhookEndpoint.updateMany({
      where: { id: before.id, enabled: !options.enabled },
      data: options.enabled
        ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null }
        : { enabled: false, disabledAt: now, disabledReason: "MANUAL" },
    });
    if (switched.count === 1) {
      await writeAudit(tx, {
        organizationId,
        actorId: options.actor!.userId,
        entityType: "webhook_endpoint",
        entityId: before.id,
        action: options.enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled",
        changes: { enabled: { from: !options.enabled, to: options.enabled }, ...(options.enabled ? { previousReason: before.disabledReason } : { reason: "MANUAL" }) },
      });
    }
    const row = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: before.id }, select: endpointSelect });
    return { changed: switched.count === 1, endpoint: toView(row) };
  }, TX_PROFILES.standard);
}

/** A new signing secret (the old one stops signing at once); returned once. */
export async function rotateSecret(options: Base & { endpointId: string }): Promise<{ secret: string }> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.manage" });
  const organizationId = access.organization.id;
  const secret = generateWebhookSecret();
  await db.$transaction(async (tx) => {
    const before = await findEndpoint(tx, organizationId, options.endpointId);
    await tx.webhookEndpoint.update({ where: { id: before.id }, data: { secretCiphertext: encryptSecret(secret, secretContext(before.id)) } });
    await writeAudit(tx, {
      organizationId,
      actorId: options.actor!.userId,
      entityType: "webhook_endpoint",
      entityId: before.id,
      action: "webhook_endpoint.secret_rotated",
      changes: {},
    });
  }, TX_PROFILES.standard);
  return { secret };
}

// ───────────────────────────── the delivery log ─────────────────────────────

export type WebhookDeliveryItem = {
  id: string;
  /** The event's id: the `webhook-id` header a receiver sees. */
  webhookId: string;
  type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

export type WebhookDeliveryPage = { items: WebhookDeliveryItem[]; nextCursor: string | null };

export const DELIVERY_PAGE_SIZE = 25;

type DeliveryRow = {
  id: string;
  webhook_event_id: string;
  type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
};

function toItem(r: DeliveryRow): WebhookDeliveryItem {
  return {
    id: r.id,
    webhookId: r.webhook_event_id,
    type: r.type as WebhookEventType,
    status: r.status as WebhookDeliveryStatus,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.status === "PENDING" ? r.next_attempt_at : null,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  };
}

/** The cursor of the log: the last row's (created_at, id), opaque to callers. */
function encodeCursor(r: { created_at: Date; id: string }): string {
  return Buffer.from(`${r.created_at.toISOString()}|${r.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at ?? "");
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime())) throw invalid({ cursor: "webhooks.errors.cursorInvalid" });
  return { createdAt, id };
}

/** The endpoint's deliveries, newest first, a page at a time; optionally of one status. */
export async function listDeliveries(
  options: Base & { endpointId: string; status?: WebhookDeliveryStatus; cursor?: string | null; limit?: number },
): Promise<WebhookDeliveryPage> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.view" });
  const endpoint = await findEndpoint(db, access.organization.id, options.endpointId);
  const limit = Math.min(Math.max(options.limit ?? DELIVERY_PAGE_SIZE, 1), 100);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await onPrisma(db).rows<DeliveryRow>(sql`
    SELECT d.id, d.webhook_event_id, ev.type, d.status, d.attempts, d.last_status_code, d.last_error, d.last_attempt_at,
           d.next_attempt_at, d.delivered_at, d.created_at
      FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.webhook_event_id
     WHERE d.endpoint_id = ${endpoint.id}::uuid
       ${options.status ? sql`AND d.status = ${options.status}` : empty}
       ${after ? sql`AND (d.created_at, d.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : empty}
     ORDER BY d.created_at DESC, d.id DESC
     LIMIT ${limit + 1}::int`);
  const page = rows.slice(0, limit);
  return { items: page.map(toItem), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
}

export type WebhookDeliveryDetail = WebhookDeliveryItem & {
  endpointId: string;
  endpointUrl: string;
  /** The body exactly as sent. */
  payload: string;
  attemptsLog: { attempt: number; startedAt: Date; durationMs: number; statusCode: number | null; responseBody: string | null; error: string | null }[];
};

async function findDelivery(organizationId: string, deliveryId: string) {
  if (!isUuid(deliveryId)) throw notFound();
  const row = await db.webhookDelivery.findFirst({
    where: { id: deliveryId, endpoint: { organizationId } },
    include: { event: true, endpoint: { select: { id: true, url: true, enabled: true } }, attemptsLog: { orderBy: { attempt: "desc" } } },
  });
  if (!row) throw notFound();
  return row;
}

export async function getDelivery(options: Base & { deliveryId: string }): Promise<WebhookDeliveryDetail> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.view" });
  const d = await findDelivery(access.organization.id, options.deliveryId);
  return {
    ...toItem({
      id: d.id,
      webhook_event_id: d.webhookEventId,
      type: d.event.type,
      status: d.status,
      attempts: d.attempts,
      last_status_code: d.lastStatusCode,
      last_error: d.lastError,
      last_attempt_at: d.lastAttemptAt,
      next_attempt_at: d.nextAttemptAt,
      delivered_at: d.deliveredAt,
      created_at: d.createdAt,
    }),
    endpointId: d.endpoint.id,
    endpointUrl: d.endpoint.url,
    payload: JSON.stringify(d.event.payload),
    attemptsLog: d.attemptsLog.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt,
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      responseBody: a.responseBody,
      error: a.error,
    })),
  };
}

/**
 * "Redeliver": one new attempt now, whatever the delivery's state (SUCCEEDED, FAILED, or PENDING waiting
 * for its next retry). Refused while an attempt is in flight, and for a switched-off endpoint (switch it on
 * first). The same event id and payload as before; audit webhook_delivery.redelivered.
 */
export async function redeliver(options: Base & { deliveryId: string }): Promise<{ deliveryId: string }> {
  const access = await authorizeOrganization({ ...options, permission: "webhooks.manage" });
  const organizationId = access.organization.id;
  const d = await findDelivery(organizationId, options.deliveryId);
  if (!d.endpoint.enabled) throw new AppError("CONFLICT", "webhooks.errors.endpointDisabled");
  const now = new Date();
  await db.$transaction(async (tx) => {
    // In flight = claimed (attempts counted) but its attempt row not written yet, within the lease.
    const reset = await tx.$executeRaw`
      UPDATE webhook_deliveries d SET status = 'PENDING', next_attempt_at = ${now}::timestamptz
       WHERE d.id = ${d.id}::uuid
         AND NOT (d.status = 'PENDING' AND d.next_attempt_at > ${now}::timestamptz
                  AND d.attempts > (SELECT count(*) FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id))`;
    if (reset === 0) throw new AppError("CONFLICT", "webhooks.errors.attemptInFlight");
    await enqueue(tx, "webhooks/delivery-requested", { deliveryId: d.id }, { id: `${attemptJobId(d.id, d.attempts + 1)}:redeliver:${randomUUID()}` });
    await writeAudit(tx, {
      organizationId,
      actorId: options.actor!.userId,
      entityType: "webhook_delivery",
      entityId: d.id,
      action: "webhook_delivery.redelivered",
      changes: { status: { from: d.status, to: "PENDING" }, endpointId: d.endpoint.id, webhookId: d.webhookEventId },
    });
  }, TX_PROFILES.standard);
  kick();
  return { deliveryId: d.id };
}
