// The contract harness of REST API v1: every API test calls the API through callApi(), which
//   1. finds the route module of the path (app/api/v1/**/route.ts, discovered from the file system:
//      `events/[eventId]/route.ts` serves `/events/{eventId}`; a literal segment wins over a parameter),
//   2. builds a Request to http://localhost/api/v1/… (Bearer token, JSON body, a client address of its
//      own unless the test gives one) and calls the exported method handler with
//      `{ params: Promise.resolve(params) }`, exactly as Next.js does,
//   3. VALIDATES the answer against openApiDocument() with Ajv (JSON Schema 2020-12): the operation must
//      be documented for this method + path, the status must be documented for it, a 304 has no body,
//      any other body must match the documented schema of that status.
// Any mismatch throws (ContractError), so a test that passes proves the document says what the API does.
//
//   const res = await callApi({ method: "GET", path: `/events/${id}`, token });
//   expect(res.status).toBe(200); res.body.data.title …
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import addFormatsModule from "ajv-formats";
import { openApiDocument, type OpenApiDocument } from "@/lib/api/openapi";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";

export type ApiMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export type CallApiOptions = {
  method: ApiMethod;
  /** Under /api/v1 ("/events/…"), or the full path ("/api/v1/events/…"). May carry a query string. */
  path: string;
  /** The API token (sent as `Authorization: Bearer …`). */
  token?: string;
  /** A JSON body (stringified), or a string sent as it is (bad JSON, oversized bodies). */
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** The client address (default: a fresh one per call, so per-address limits never mix tests). */
  ip?: string;
};

// The body is already checked against the document by the time a test reads it: loose typing is the point.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiAnswer<T = any> = {
  status: number;
  headers: Headers;
  /** The parsed JSON body; null for an empty body (304). */
  body: T;
};

export class ContractError extends Error {
  override name = "ContractError";
}

// ── Route discovery ─────────────────────────────────────────────────────────────────────────────────

const ROOT = path.resolve(import.meta.dirname, "../../..");
const API_DIR = path.join(ROOT, "app/api/v1");

type RouteFile = { segments: string[]; file: string };

function scan(dir: string, segments: string[], out: RouteFile[]): RouteFile[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) scan(path.join(dir, entry.name), [...segments, entry.name], out);
    else if (entry.name === "route.ts") out.push({ segments, file: path.join(dir, entry.name) });
  }
  return out;
}

/** Every route file under app/api/v1 with its path template ("/events/{eventId}"). */
export function apiRouteFiles(): { template: string; file: string }[] {
  return scan(API_DIR, [], []).map(({ segments, file }) => ({
    template: "/" + segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/"),
    file,
  }));
}

let routeTable: RouteFile[] | null = null;

/** The route file of a concrete path and its params; a literal segment beats a `[param]` one. */
function findRoute(segments: string[]): { file: string; params: Record<string, string> } | null {
  routeTable ??= scan(API_DIR, [], []);
  let best: { file: string; params: Record<string, string>; score: number } | null = null;
  for (const route of routeTable) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let score = 0;
    let ok = true;
    route.segments.forEach((seg, i) => {
      const param = /^\[(.+)\]$/.exec(seg);
      if (param) params[param[1]] = segments[i];
      else if (seg === segments[i]) score += 1 << (segments.length - i);
      else ok = false;
    });
    if (ok && (!best || score > best.score)) best = { file: route.file, params, score };
  }
  return best;
}

// ── The document and its validators ────────────────────────────────────────────────────────────────

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

const validators = new Map<string, ValidateFunction>();

/** `#/components/schemas/X` → `#/$defs/X`, so one response schema compiles on its own. */
function localRefs<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')) as T;
}

type Operation = { operationId?: string; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

/** The document's operation for a method and a concrete path (under /api/v1), with its template. */
export function documentedOperation(doc: OpenApiDocument, method: string, apiPath: string): { template: string; operation: Operation } | null {
  const segments = apiPath.split("/").filter(Boolean);
  let best: { template: string; operation: Operation; score: number } | null = null;
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    const operation = (item as Record<string, Operation | undefined>)[method.toLowerCase()];
    if (!operation) continue;
    const parts = template.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    let score = 0;
    let ok = true;
    parts.forEach((part, i) => {
      if (/^\{.+\}$/.test(part)) return;
      if (part === decodeURIComponent(segments[i])) score += 1 << (parts.length - i);
      else ok = false;
    });
    if (ok && (!best || score > best.score)) best = { template, operation, score };
  }
  return best;
}

function validatorFor(doc: OpenApiDocument, key: string, schema: unknown): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    const defs = localRefs(doc.components?.schemas ?? {});
    validate = ajv.compile({ ...(localRefs(schema) as object), $defs: defs });
    validators.set(key, validate);
  }
  return validate;
}

/** Throws ContractError unless the answer is what the document says for this method + path + status. */
export function assertDocumented(method: string, apiPath: string, status: number, text: string, doc: OpenApiDocument = openApiDocument()): unknown {
  const found = documentedOperation(doc, method, apiPath);
  if (!found) throw new ContractError(`${method} ${apiPath}: no such operation in the OpenAPI document`);
  const where = `${method} ${found.template} (${found.operation.operationId})`;
  const response = found.operation.responses?.[String(status)];
  if (!response) throw new ContractError(`${where}: status ${status} is not documented; body: ${text.slice(0, 2000)}`);
  if (status === 304) {
    if (text.length > 0) throw new ContractError(`${where}: a 304 must have no body; got ${text.slice(0, 200)}`);
    return null;
  }
  const schema = response.content?.["application/json"]?.schema;
  if (!schema) {
    if (text.length > 0) throw new ContractError(`${where}: status ${status} documents no body; got ${text.slice(0, 200)}`);
    return null;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ContractError(`${where}: status ${status}: the body is not JSON: ${text.slice(0, 200)}`);
  }
  const validate = validatorFor(doc, `${found.template} ${method} ${status}`, schema);
  if (!validate(body)) {
    throw new ContractError(
      `${where}: status ${status}: the body does not match the document:\n${ajv.errorsText(validate.errors, { separator: "\n" })}\nbody: ${text.slice(0, 2000)}`,
    );
  }
  return body;
}

// ── callApi ─────────────────────────────────────────────────────────────────────────────────────────

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function callApi<T = any>(options: CallApiOptions): Promise<ApiAnswer<T>> {
  const url = new URL(options.path.startsWith("/api/v1") ? options.path : `/api/v1${options.path}`, "http://localhost");
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  }
  const apiPath = url.pathname.slice("/api/v1".length) || "/";
  const route = findRoute(apiPath.split("/").filter(Boolean).map(decodeURIComponent));
  if (!route) throw new ContractError(`${options.method} ${apiPath}: no route file under app/api/v1 serves this path`);
  const routeModule = (await import(/* @vite-ignore */ pathToFileURL(route.file).href)) as Record<string, Handler | undefined>;
  const handler = routeModule[options.method];
  if (typeof handler !== "function") throw new ContractError(`${options.method} ${apiPath}: ${path.relative(ROOT, route.file)} exports no ${options.method}`);

  const headers = fromClient(options.ip ?? uniqueIp(), { "accept-language": "en" });
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);

  const request = new Request(url, { method: options.method, headers, body });
  const response = await handler(request, { params: Promise.resolve(route.params) });
  const text = await response.text();
  const parsed = assertDocumented(options.method, apiPath, response.status, text);
  return { status: response.status, headers: response.headers, body: parsed as T };
}
