// The API edge: every REST API v1 route handler (app/api/v1/**/route.ts) is `apiHandler(operation)`
// (docs/api.md → "Conventions of every endpoint"). For one ApiOperation (lib/api/operation.ts) it does,
// once and in this order:
//   1. the bearer token (`Authorization: Bearer …`; missing → 401 + `WWW-Authenticate: Bearer`),
//      authenticated in ONE statement that also writes the `api_token.used` audit row, touches
//      last-used and counts the per-token limit `api.read` (GET) / `api.write` (lib/api/tokens.ts);
//   2. the limit: `RateLimit-Limit/-Remaining/-Reset` + `RateLimit-Policy` on every answer from here
//      on; over → 429 + Retry-After;
//   3. the scope the operation needs (403 api.errors.scope naming it);
//   4. zod: route params, query string, JSON body (lib/http/route.ts readJsonObject + parseWith; a body
//      object is strict: an unknown field → 400 fieldErrors[field] = api.errors.unknownField; larger
//      than op.maxBodyBytes → 400);
//   5. `Idempotency-Key` (writes): "edge" → the first answer (status + body) is stored under
//      `api:<tokenId>:<op.id>` and replayed with `Idempotent-Replayed: true` (another body → 409; a
//      concurrent duplicate waits for the first and never runs the handler: lib/idempotency.ts
//      runOnceByKey); "service" → the key is handed to the handler (ctx.idempotencyKey); invalid → 400;
//   6. the handler (one service) → its answer, checked by op.response, JSON with op.status;
//   7. GET: a weak ETag of the body; If-None-Match → 304;
//   8. any throw → the app's error body (lib/http/route.ts errorResponse) in the request's language.
import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { actorOfPrincipal, authenticateApiToken, type ApiAuthentication } from "@/lib/api";
import type { ApiContext, ApiOperation, HttpMethod } from "@/lib/api/operation";
import { AppError, isAppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-address";
import { limitRule } from "@/lib/http/limits";
import { errorResponse, json, localeOf, readJsonObject, type ApiError } from "@/lib/http/route";
import { parseWith } from "@/lib/http/parse";
import { translatorFor } from "@/lib/i18n/catalogue";
import { hashRequest, isValidIdempotencyKey, runOnceByKey } from "@/lib/idempotency";
import { fieldErrorsOf } from "@/lib/validation/identity";

type NextContext = { params?: Promise<Record<string, string | string[]>> };
export type ApiRouteHandler = (request: Request, context?: NextContext) => Promise<Response>;

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Any operation, whatever its schemas. `any` (not unknown) because an operation's handler takes ITS
 * context: a parameter type only a bivariant slot accepts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApiOperation = ApiOperation<any, any, any, any>;

/** Whether the request carries `Authorization: Bearer <something>` (the registration route dispatches on it). */
export function hasBearerToken(request: Request): boolean {
  return /^Bearer\s+\S/i.test(request.headers.get("authorization") ?? "");
}

function bearerOf(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match ? match[1] : null;
}

/** The RateLimit-* headers of a counted request (draft-ietf-httpapi-ratelimit-headers). */
function rateLimitHeaders(auth: ApiAuthentication): Record<string, string> {
  const { rateLimit } = auth;
  const reset = Math.max(0, rateLimit.retryAfterSeconds);
  return {
    "ratelimit-limit": String(rateLimit.limit),
    "ratelimit-remaining": String(rateLimit.remaining),
    "ratelimit-reset": String(reset),
    "ratelimit-policy": `${rateLimit.limit};w=${limitRule(auth.limitName, "token").windowSeconds}`,
  };
}

/** A copy of a response with extra headers. */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * A body schema made strict at its top level (a z.object that strips unknown keys would silently drop a
 * typo'd field): unknown keys become `unrecognized_keys` issues.
 */
function strictBody<B extends z.ZodType>(schema: B): z.ZodType {
  return schema instanceof z.ZodObject ? (schema as unknown as z.ZodObject).strict() : schema;
}

/** parseWith, with every unknown key (at any depth of a strict object) as its own field error. */
function parseBody(schema: z.ZodType, raw: unknown): unknown {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const unknown: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    for (const key of issue.keys) unknown[[...issue.path.map(String), key].join(".")] = "api.errors.unknownField";
  }
  const others = parsed.error.issues.filter((issue) => issue.code !== "unrecognized_keys");
  const rest = others.length ? fieldErrorsOf(new z.ZodError(others)) : {};
  throw new AppError("VALIDATION", "errors.validation", { ...rest, ...unknown });
}

/** The 403 of a missing scope: the error body with the scope named in the message. */
function scopeError(request: Request, scope: string, headers: Record<string, string>): Response {
  const t = translatorFor(localeOf(request));
  const body: ApiError & { scope: string } = {
    ok: false,
    code: "FORBIDDEN",
    message: t.dynamic("api.errors.scope", { scope }),
    messageKey: "api.errors.scope",
    fieldErrors: {},
    scope,
  };
  return json(body, 403, headers);
}

/** A weak ETag of a JSON text. */
function etagOf(text: string): string {
  return `W/"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
}

/** Whether If-None-Match names this ETag (weak comparison; `*` matches anything). */
function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

const idempotencyKeyInvalid = () => new AppError("VALIDATION", "errors.validation", { idempotencyKey: "errors.idempotencyKeyInvalid" });

/**
 * Wraps one API operation in the edge (see the top of this file): `export const GET = apiHandler(getEvent)`.
 */
export function apiHandler<Op extends AnyApiOperation>(op: Op): ApiRouteHandler {
  const body = op.body ? strictBody(op.body) : null;
  const isRead = op.method === "GET";
  const idempotency = isRead ? null : (op.idempotency ?? "edge");
  const useEtag = isRead && op.etag !== false;
  const status = op.status ?? 200;

  return async (request, context) => {
    let limitHeaders: Record<string, string> = {};
    try {
      // 1. the token, the audit row, the last use and the limit: one statement
      const token = bearerOf(request);
      if (!token) {
        const response = errorResponse(request, new AppError("UNAUTHENTICATED", "api.errors.tokenMissing"));
        return withHeaders(response, { "www-authenticate": 'Bearer realm="api"' });
      }
      const ip = clientIp(request.headers);
      const url = new URL(request.url);
      let auth: ApiAuthentication;
      try {
        auth = await authenticateApiToken({ token, ip, method: request.method, path: url.pathname });
      } catch (error) {
        const response = errorResponse(request, error);
        if (isAppError(error) && error.code === "UNAUTHENTICATED") {
          withHeaders(response, { "www-authenticate": `Bearer realm="api", error="invalid_token", error_description="${error.message}"` });
        }
        return response;
      }
      limitHeaders = rateLimitHeaders(auth);

      // 2. the limit
      if (!auth.rateLimit.allowed) {
        const response = errorResponse(request, new AppError("RATE_LIMITED", "api.errors.rateLimited"));
        return withHeaders(response, { ...limitHeaders, "retry-after": String(auth.rateLimit.retryAfterSeconds) });
      }

      // 3. the scope
      const { principal } = auth;
      if (!principal.scopes.includes(op.scope)) return scopeError(request, op.scope, limitHeaders);

      // 4. params, query, body
      const params = op.params ? parseWith(op.params, (await context?.params) ?? {}) : undefined;
      const query = op.query ? parseWith(op.query, Object.fromEntries(url.searchParams)) : undefined;
      const parsedBody = body ? parseBody(body, await readJsonObject(request, op.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)) : undefined;

      // 5. Idempotency-Key
      const keyHeader = request.headers.get("idempotency-key");
      if (keyHeader !== null && !isRead && !isValidIdempotencyKey(keyHeader)) throw idempotencyKeyInvalid();
      const idempotencyKey = isRead ? null : keyHeader;

      const ctx: ApiContext<unknown, unknown, unknown> = {
        request,
        params,
        query,
        body: parsedBody,
        principal,
        actor: actorOfPrincipal(principal),
        get locale() {
          return localeOf(request);
        },
        ip,
        idempotencyKey,
      } as ApiContext<unknown, unknown, unknown>;

      // 6. the handler → the answer checked by the operation's response schema
      const answer = async () => ({ status, body: op.response.parse(await op.handler(ctx as never)) as unknown });

      if (idempotency === "edge" && idempotencyKey) {
        const stored = await runOnceByKey(
          { scope: `api:${principal.tokenId}:${op.id}`, key: idempotencyKey, requestHash: hashRequest({ params: params ?? null, query: query ?? null, body: parsedBody ?? null }) },
          answer,
        );
        return json(stored.body, stored.status, { ...limitHeaders, ...(stored.replayed ? { "idempotent-replayed": "true" } : {}) });
      }

      const { body: out } = await answer();
      if (!useEtag) return json(out, status, limitHeaders);

      // 7. ETag / 304
      const text = JSON.stringify(out);
      const etag = etagOf(text);
      const cacheHeaders = { etag, "cache-control": "private, no-cache" };
      if (matchesEtag(request.headers.get("if-none-match"), etag)) {
        return new Response(null, { status: 304, headers: { ...limitHeaders, ...cacheHeaders, "x-content-type-options": "nosniff" } });
      }
      return json(out, status, { ...limitHeaders, ...cacheHeaders });
    } catch (error) {
      // 8. the app's error body, in the request's language
      return withHeaders(errorResponse(request, error), limitHeaders);
    }
  };
}

/** The handlers of several operations that share one route file, by method:
 *  `export const { GET, POST } = apiRoutes(listEvents, createEvent);` */
export function apiRoutes<const Ops extends readonly AnyApiOperation[]>(
  ...ops: Ops
): { [M in Ops[number]["method"]]: ApiRouteHandler } {
  const out: Partial<Record<HttpMethod, ApiRouteHandler>> = {};
  for (const op of ops) {
    if (out[op.method]) throw new Error(`apiRoutes: two operations for ${op.method} (${op.id})`);
    out[op.method] = apiHandler(op);
  }
  return out as { [M in Ops[number]["method"]]: ApiRouteHandler };
}
