// One REST API v1 operation = one object: its method and path, the scope it needs, the zod schemas of
// its params / query / body / answer, its OpenAPI words, and the handler that calls ONE service.
// The same object is (1) served by the API edge (lib/http/api-route.ts `apiHandler`), which parses with
// these schemas, and (2) registered in the OpenAPI document (lib/api/openapi.ts), so the document is
// generated from exactly what the handler parses and answers (docs/api.md).
//
//   // lib/api/v1/events.ts
//   export const getEvent = defineOperation({
//     id: "getEvent", method: "GET", path: "/events/{eventId}", tag: "Events", scope: "events:read",
//     summary: "Get an event", params: z.object({ eventId: uuid }), response: apiEvent,
//     handler: async ({ actor, params }) => toApiEvent(await getEventForStaff({ actor, eventId: params.eventId })),
//   });
//   // app/api/v1/events/[eventId]/route.ts
//   export const GET = apiHandler(getEvent);
//
// Pure types + the identity function (no server code): the OpenAPI builder and the tests import it.
import type { z } from "zod";
import type { Locale } from "@/lib/i18n/config";
import type { Actor } from "@/lib/permissions";
import type { ApiScope } from "./scopes";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** Who called: the token the edge authenticated (lib/api/tokens.ts authenticateApiToken). */
export type ApiPrincipal = {
  tokenId: string;
  kind: "organization" | "personal";
  /** The organization of an organization token; null for a personal token. */
  organizationId: string | null;
  /** The token's user (the owner who created it / the person it belongs to). */
  userId: string;
  scopes: readonly ApiScope[];
};

type AnyObject = z.ZodType<Record<string, unknown>>;
type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export type ApiContext<P, Q, B> = {
  request: Request;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  principal: ApiPrincipal;
  /** The actor the services get: the token's user narrowed by the token (lib/permissions Actor.token). */
  actor: Actor;
  locale: Locale;
  ip: string;
  /** The `Idempotency-Key` header (validated), or null. */
  idempotencyKey: string | null;
  /**
   * Extra headers of the success answer, set by the handler (lower-case names), e.g.
   * `idempotent-replayed` when a service that claims the key itself ("service" idempotency) replayed.
   */
  responseHeaders: Record<string, string>;
};

export type ApiOperation<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends AnyObject | undefined = AnyObject | undefined,
  R extends z.ZodType = z.ZodType,
> = {
  /** The OpenAPI operationId; unique. */
  id: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, with `{name}` params: "/events/{eventId}/registrations". */
  path: string;
  /** The OpenAPI tag (a section of /docs/api). */
  tag: string;
  summary: string;
  description?: string;
  /** The scope a token needs (403 `api.errors.scope` without it). */
  scope: ApiScope;
  params?: P;
  query?: Q;
  /** The JSON body. Objects are strict: an unknown field → 400 with a field error. */
  body?: B;
  /** Body size limit (default 64 KiB): larger → 400 `api.errors.bodyTooLarge`. */
  maxBodyBytes?: number;
  /** The success answer's body (what the handler returns), validated by the contract tests. */
  response: R;
  /** The success status (default 200; 201 for creations). */
  status?: 200 | 201;
  /**
   * Writes: how `Idempotency-Key` works. "edge" (default for non-GET): the edge stores the first answer
   * under (token, operation, key) and replays it; "service": the handler passes ctx.idempotencyKey to a
   * service that claims it in its own transaction (the sale).
   */
  idempotency?: "edge" | "service";
  /** GET: answer with an ETag (a hash of the body); If-None-Match → 304. Default true for GET. */
  etag?: boolean;
  handler: (ctx: ApiContext<P, Q, B>) => Promise<z.input<R>>;
};

/** Keeps the literal types of an operation (identity at runtime). */
export function defineOperation<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends AnyObject | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(op: ApiOperation<P, Q, B, R>): ApiOperation<P, Q, B, R> {
  return op;
}
