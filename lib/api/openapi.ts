// The OpenAPI 3.1 document of REST API v1, generated from the very zod schemas the API edge parses and
// the handlers answer (lib/api/v1/index.ts API_OPERATIONS), plus the webhook payloads. Served at
// /api/v1/openapi.json and rendered by /docs/api; the contract tests (tests/integration/api/harness.ts)
// validate every answer of the API test suite against it, so it cannot drift (docs/api.md).
//
// What every operation documents beyond its own schemas (the edge, lib/http/api-route.ts, answers them):
//   - security: bearer token (`Authorization: Bearer aq_org_…`);
//   - GET: `If-None-Match` → 304 (no body), `ETag` on 200;
//   - writes: `Idempotency-Key` header, `Idempotent-Replayed` on a replayed answer, 409 on a key reused
//     with another body;
//   - `RateLimit-*` headers on every answer, 429 + `Retry-After` when over;
//   - the one error body (ApiError) on 400 / 401 / 403 / 404 / 409 / 429.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import type { ApiOperation } from "@/lib/api/operation";
import { API_SCOPES } from "@/lib/api/scopes";
import { API_OPERATIONS } from "@/lib/api/v1";
import { env } from "@/lib/env";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_PAYLOAD_SCHEMAS } from "@/lib/webhooks/payloads";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/types";

extendZodWithOpenApi(z);

export const API_VERSION = "1.0.0";

/** The error body of every failed answer (lib/http/route.ts ApiError). */
export const apiErrorSchema = z
  .object({
    ok: z.literal(false),
    code: z.string().meta({ description: "VALIDATION, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED, …" }),
    message: z.string().meta({ description: "A human message in the request's language (Accept-Language ru / en)." }),
    messageKey: z.string().meta({ description: "The stable key of the message (for programs)." }),
    fieldErrors: z.record(z.string(), z.string()).meta({ description: "Field → message; `_form` for the request as a whole." }),
    scope: z.string().optional().meta({ description: "403 of a missing scope: the scope the operation needs." }),
  })
  .meta({ id: "ApiError" });

const ERROR_TEXT = {
  400: "Validation failed: a bad or unknown field, a body too large, a cursor from another query (see fieldErrors).",
  401: "No token, or a wrong, expired or revoked token.",
  403: "The token lacks the scope (or its creator the role) this operation needs.",
  404: "Not found — including anything of another organization.",
  409: "A state conflict (already cancelled, sold out, …) or an Idempotency-Key reused with another body.",
  429: "Over the token's rate limit; see Retry-After and RateLimit-*.",
} as const;

/** The statuses of the error body an operation can answer (the edge's and the services'). */
export function errorStatusesOf(op: Pick<ApiOperation, "method">): (keyof typeof ERROR_TEXT)[] {
  return op.method === "GET" ? [400, 401, 403, 404, 429] : [400, 401, 403, 404, 409, 429];
}

const rateLimitHeaders = {
  "RateLimit-Limit": { description: "Requests allowed per window for this token.", schema: { type: "integer" as const } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" as const } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" as const } },
  "RateLimit-Policy": { description: "The limit and window, e.g. `600;w=60`.", schema: { type: "string" as const } },
};

const idempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,200}$/)
  .optional()
  .meta({ description: "Makes a write safe to retry: the same key and body within 24 h returns the first answer (with `Idempotent-Replayed: true`); the same key with another body → 409." });

const ifNoneMatchHeader = z.string().optional().meta({ description: "An ETag of an earlier answer: 304 when unchanged." });

function routeConfigOf(op: ApiOperation): RouteConfig {
  const success: ResponseConfig = {
    description: op.status === 201 ? "Created" : "OK",
    headers: {
      ...rateLimitHeaders,
      ...(op.method === "GET" ? { ETag: { description: "Weak ETag of the body.", schema: { type: "string" } } } : {}),
      ...(op.method !== "GET" ? { "Idempotent-Replayed": { description: "`true` on an answer replayed for a repeated Idempotency-Key.", schema: { type: "string" } } } : {}),
    },
    content: { "application/json": { schema: op.response } },
  };
  const responses: Record<string, ResponseConfig> = { [String(op.status ?? 200)]: success };
  if (op.method === "GET" && op.etag !== false) responses["304"] = { description: "Not modified (If-None-Match matched the ETag); no body.", headers: rateLimitHeaders };
  for (const status of errorStatusesOf(op)) {
    responses[String(status)] = {
      description: ERROR_TEXT[status],
      headers: status === 429 ? { ...rateLimitHeaders, "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } } : rateLimitHeaders,
      content: { "application/json": { schema: apiErrorSchema } },
    };
  }
  const headers = op.method === "GET" ? z.object({ "If-None-Match": ifNoneMatchHeader }) : z.object({ "Idempotency-Key": idempotencyKeyHeader });
  return {
    method: op.method.toLowerCase() as RouteConfig["method"],
    path: op.path,
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `Scope: \`${op.scope}\`.`].filter(Boolean).join("\n\n"),
    security: [{ bearerAuth: [] }],
    request: {
      ...(op.params ? { params: op.params as never } : {}),
      ...(op.query ? { query: op.query as never } : {}),
      headers: headers as never,
      ...(op.body ? { body: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
    },
    responses,
    "x-scope": op.scope,
  } as RouteConfig;
}

// ── Webhooks ────────────────────────────────────────────────────────────────────────────────────────
// The payloads are the webhooks helper's zod schemas (lib/webhooks/payloads.ts), one per type of
// lib/webhooks/types.ts; tests/unit/openapi.test.ts fails when a type has no `webhooks` entry.
function registerWebhooks(registry: OpenAPIRegistry, payloads: Partial<Record<WebhookEventType, z.ZodType>>): void {
  for (const type of WEBHOOK_EVENT_TYPES) {
    const schema = payloads[type];
    if (!schema) continue;
    registry.registerWebhook({
      method: "post",
      path: type,
      operationId: `webhook_${type.replace(".", "_")}`,
      summary: type,
      description: `${WEBHOOK_EVENT_DESCRIPTIONS[type]}\n\nSigned per Standard Webhooks (headers \`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`; verify with the endpoint's secret, e.g. the \`standardwebhooks\` library). Answer any 2xx quickly; other answers and timeouts are retried with backoff.`,
      tags: ["Webhooks"],
      request: {
        headers: z.object({
          "webhook-id": z.string().meta({ description: "The delivery's event id: the same on every retry (deduplicate on it)." }),
          "webhook-timestamp": z.string().meta({ description: "Unix seconds of this attempt." }),
          "webhook-signature": z.string().meta({ description: "`v1,<base64 HMAC-SHA256>` of `id.timestamp.body`." }),
        }) as never,
        body: { content: { "application/json": { schema } } },
      },
      responses: { 200: { description: "Accepted (any 2xx)." } },
    } as RouteConfig);
  }
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

/** Builds the document from a list of operations (tests pass their own; the app uses openApiDocument()). */
export function buildOpenApiDocument(
  operations: readonly ApiOperation[],
  options: { serverUrl: string; webhookPayloads?: Partial<Record<WebhookEventType, z.ZodType>> },
): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: `An API token (Dashboard → organization → Developers). Scopes: ${API_SCOPES.map((s) => `\`${s}\``).join(", ")}.`,
  });
  registry.register("ApiError", apiErrorSchema);
  for (const op of operations) registry.registerPath(routeConfigOf(op));
  registerWebhooks(registry, options.webhookPayloads ?? {});
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "AqStream API",
      version: API_VERSION,
      description:
        "The public REST API of AqStream: organizations, events, ticket types, registrations, check-ins, payments, promo codes. Bearer tokens with scopes, cursor pagination, `updatedSince` for sync, `Idempotency-Key` on every write, ETags on reads, per-token rate limits. Reference and quickstart: /docs/api.",
    },
    servers: [{ url: options.serverUrl }],
    security: [{ bearerAuth: [] }],
  });
}

let cached: OpenApiDocument | null = null;

/** The document of the running app (cached per process): servers = APP_URL + /api/v1. */
export function openApiDocument(): OpenApiDocument {
  if (!cached) {
    const serverUrl = `${env().APP_URL.replace(/\/+$/, "")}/api/v1`;
    cached = buildOpenApiDocument(API_OPERATIONS, { serverUrl, webhookPayloads: WEBHOOK_PAYLOAD_SCHEMAS });
  }
  return cached;
}
