// The OpenAPI document of REST API v1 (lib/api/openapi.ts): a valid OpenAPI 3.1 shape, generated from
// every operation of lib/api/v1 (API_OPERATIONS), each served by a route file under app/api/v1, with
// the webhook payloads of every type of lib/webhooks/types.ts.
import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020";
import addFormatsModule from "ajv-formats";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument, errorStatusesOf, openApiDocument } from "@/lib/api/openapi";
import { defineOperation } from "@/lib/api/operation";
import { API_OPERATIONS } from "@/lib/api/v1";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/types";

// env() (APP_URL of the servers entry) validates the whole environment; no database is opened.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/unused";

const ROOT = path.resolve(import.meta.dirname, "../..");
const METHODS = ["get", "post", "patch", "put", "delete"] as const;

type Operation = {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
};

const doc = openApiDocument();
const operations = Object.entries(doc.paths ?? {}).flatMap(([template, item]) =>
  METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((method) => ({ template, method, op: (item as Record<string, Operation>)[method] })),
);

/** Every `$ref` in a value. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsOf(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  test("is an OpenAPI 3.1 document with info, a server under /api/v1, the bearer scheme and the error body", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(doc.servers?.[0]?.url).toMatch(/^https?:\/\/[^/]+\/api\/v1$/);
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components?.schemas?.ApiError).toMatchObject({ type: "object", required: expect.arrayContaining(["ok", "code", "message", "messageKey", "fieldErrors"]) });
  });

  test("holds every operation of API_OPERATIONS, and nothing else", () => {
    expect(API_OPERATIONS.length).toBeGreaterThanOrEqual(14);
    const documented = operations.map((o) => `${o.method.toUpperCase()} ${o.template}`).sort();
    const declared = API_OPERATIONS.map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual(declared);
  });

  test("every operation has a unique operationId, bearer security, a tag, and the scope in its text", () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operations) {
      expect(op.security, op.operationId).toEqual([{ bearerAuth: [] }]);
      const declared = API_OPERATIONS.find((o) => o.id === op.operationId)!;
      expect((op as { description?: string }).description, op.operationId).toContain(declared.scope);
      expect((op as { tags?: string[] }).tags).toEqual([declared.tag]);
    }
  });

  test("every path parameter is declared, required and in the template; nothing else is a path parameter", () => {
    for (const { template, op } of operations) {
      const inTemplate = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort(), `${op.operationId}`).toEqual(inTemplate);
      for (const p of declared) expect(p.required, `${op.operationId} ${p.name}`).toBe(true);
    }
  });

  test("every operation documents its success answer and the error body on each error status; GETs a 304, writes an Idempotency-Key", () => {
    for (const { method, op } of operations) {
      const declared = API_OPERATIONS.find((o) => o.id === op.operationId)!;
      const success = op.responses?.[String(declared.status ?? 200)];
      expect(success?.content?.["application/json"]?.schema, op.operationId).toBeTruthy();
      for (const status of errorStatusesOf(declared)) {
        expect(op.responses?.[String(status)]?.content?.["application/json"]?.schema, `${op.operationId} ${status}`).toEqual({ $ref: "#/components/schemas/ApiError" });
      }
      const headers = (op.parameters ?? []).filter((p) => p.in === "header").map((p) => p.name);
      if (method === "get") {
        expect(op.responses?.["304"], op.operationId).toBeTruthy();
        expect(op.responses?.["304"]?.content).toBeUndefined();
        expect(headers).toContain("If-None-Match");
      } else {
        expect(op.responses?.["409"]).toBeTruthy();
        expect(headers).toContain("Idempotency-Key");
      }
    }
  });

  test("bodies of writes are strict objects (an unknown field is refused, and the document says so)", () => {
    for (const { op } of operations) {
      const schema = op.requestBody?.content?.["application/json"]?.schema as { $ref?: string; additionalProperties?: unknown } | undefined;
      if (!schema) continue;
      const resolved = schema.$ref ? (doc.components?.schemas?.[schema.$ref.split("/").pop()!] as { additionalProperties?: unknown }) : schema;
      expect(resolved.additionalProperties, op.operationId).toBe(false);
    }
  });

  test("every $ref resolves, and every schema is valid JSON Schema 2020-12 (Ajv compiles it)", () => {
    const schemas = doc.components?.schemas ?? {};
    for (const ref of refsOf(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.split("/").pop()!], ref).toBeTruthy();
    }
    const ajv = new Ajv2020({ strict: false });
    const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const $defs = JSON.parse(JSON.stringify(schemas).replaceAll('"#/components/schemas/', '"#/$defs/'));
    const local = (s: unknown) => JSON.parse(JSON.stringify(s).replaceAll('"#/components/schemas/', '"#/$defs/'));
    let compiled = 0;
    for (const { op } of operations) {
      const all = [
        op.requestBody?.content?.["application/json"]?.schema,
        ...Object.values(op.responses ?? {}).map((r) => r.content?.["application/json"]?.schema),
        ...(op.parameters ?? []).map((p) => p.schema),
      ].filter(Boolean);
      for (const schema of all) {
        expect(() => ajv.compile({ ...local(schema), $defs })).not.toThrow();
        compiled += 1;
      }
    }
    expect(compiled).toBeGreaterThan(operations.length * 3);
  });

  test("the webhooks section holds a payload schema for every type of lib/webhooks/types.ts", () => {
    const webhooks = (doc as { webhooks?: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: unknown }> } } }> }).webhooks ?? {};
    expect(Object.keys(webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      expect(webhooks[type]?.post?.requestBody?.content?.["application/json"]?.schema, type).toBeTruthy();
    }
  });

  test("is built once per process", () => {
    expect(openApiDocument()).toBe(doc);
  });

  test("a route param missing from the params schema is caught (the check above can fail)", () => {
    const broken = defineOperation({
      id: "broken",
      method: "GET",
      path: "/things/{thingId}",
      tag: "T",
      scope: "events:read",
      summary: "x",
      response: z.object({ ok: z.literal(true) }),
      handler: async () => ({ ok: true as const }),
    });
    const other = buildOpenApiDocument([broken as never], { serverUrl: "http://x/api/v1" });
    const params = ((other.paths?.["/things/{thingId}"] as Record<string, Operation>).get.parameters ?? []).filter((p) => p.in === "path");
    expect(params.map((p) => p.name)).not.toEqual(["thingId"]);
  });
});

// ── every operation is served by a route file ───────────────────────────────────────────────────────

type RouteExport = { file: string; template: string; method: string; name: string; module: string };

/** `export const GET = apiHandler(listEvents)` + `import { listEvents } from "@/lib/api/v1/events"`, read statically. */
function routeExports(): RouteExport[] {
  const out: RouteExport[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name]);
      else if (entry.name === "route.ts") {
        const file = path.join(dir, entry.name);
        const text = fs.readFileSync(file, "utf8");
        const imports = new Map<string, string>();
        for (const m of text.matchAll(/import\s*\{([^}]+)\}\s*from\s*"@\/lib\/api\/v1\/([\w-]+)"/g)) {
          for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) imports.set(name.split(/\s+as\s+/).pop()!, m[2]);
        }
        const template = "/" + segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");
        for (const m of text.matchAll(/export\s+const\s+(GET|POST|PATCH|PUT|DELETE)\s*=\s*(?:\w+\()?apiHandler\(\s*(\w+)\s*\)/g)) {
          out.push({ file: path.relative(ROOT, file), template, method: m[1], name: m[2], module: imports.get(m[2]) ?? "" });
        }
      }
    }
  };
  walk(path.join(ROOT, "app/api/v1"), []);
  return out;
}

describe("route files", () => {
  test("every operation of API_OPERATIONS is exported, under its method, by the route file of its path", async () => {
    const exports = routeExports();
    const modules = new Map<string, Record<string, unknown>>();
    const served = new Set<string>();
    for (const e of exports) {
      if (!e.module) continue; // an apiHandler of an operation that lives elsewhere: checked below by id
      if (!modules.has(e.module)) modules.set(e.module, (await import(`@/lib/api/v1/${e.module}.ts`)) as Record<string, unknown>);
      const op = modules.get(e.module)![e.name] as { id: string; method: string; path: string } | undefined;
      expect(op, `${e.file}: ${e.name}`).toBeTruthy();
      expect(`${op!.method} ${op!.path}`, e.file).toBe(`${e.method} ${e.template}`);
      served.add(op!.id);
    }
    const missing = API_OPERATIONS.filter((o) => !served.has(o.id)).map((o) => `${o.method} ${o.path} (${o.id})`);
    expect(missing).toEqual([]);
  });
});

describe("GET /api/v1/openapi.json", () => {
  test("serves the document publicly: JSON, CORS *, cacheable, and 304 on its ETag", async () => {
    const { GET, OPTIONS } = await import("@/app/api/v1/openapi.json/route");
    const res = await GET(new Request("http://localhost/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toContain("public");
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    const etag = res.headers.get("etag")!;
    const again = await GET(new Request("http://localhost/api/v1/openapi.json", { headers: { "if-none-match": etag } }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(OPTIONS().status).toBe(204);
  });
});
