// Cross-origin answers for endpoints any site may call without credentials (the embeddable widget:
// app/api/widget/**, docs/widget.md). `Access-Control-Allow-Origin: *` never carries cookies (a browser
// refuses credentials with a wildcard), so these endpoints must not read any: the route edge runs them
// with `session: "none"`.
const CORS_BASE = {
  "access-control-allow-origin": "*",
  // Read by the widget: the replay mark of an idempotent retry, the wait of a 429.
  "access-control-expose-headers": "idempotent-replayed, retry-after",
} as const;

/** The preflight's answer: which methods and request headers the endpoint takes (cached for a day). */
export function corsPreflight(methods: readonly string[]): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_BASE,
      "access-control-allow-methods": [...methods, "OPTIONS"].join(", "),
      "access-control-allow-headers": "content-type, idempotency-key, accept-language",
      "access-control-max-age": "86400",
      "cache-control": "public, max-age=86400",
      vary: "origin",
    },
  });
}

/** The same answer with the CORS headers added (errors of the route edge included). */
export function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(CORS_BASE)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Wraps a route handler so that every answer it gives carries the CORS headers. */
export function corsHandler<C>(handler: (request: Request, context?: C) => Promise<Response>): (request: Request, context?: C) => Promise<Response> {
  return async (request, context) => withCors(await handler(request, context));
}
