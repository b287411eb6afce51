// Prisma CLI configuration. Prisma 6.19 migrates offline with its JavaScript schema engine through
// the pg driver adapter (see ../shared/reference/stack-notes.md for the traps worked around here).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Introspection meets "char" (oid 18) and name (oid 19), which the adapter cannot decode: report
// those columns as text (oid 25) in every result the CLI reads.
type Result = { fields?: { dataTypeID: number }[] };
function asText<T>(result: T): T {
  for (const f of (result as Result)?.fields ?? []) if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
  return result;
}
type QueryFn = (...args: unknown[]) => unknown;
function patchQuery(target: { query: QueryFn }) {
  const original = target.query.bind(target);
  target.query = (...args: unknown[]) => {
    const out = original(...args);
    return out && typeof (out as Promise<unknown>).then === "function" ? (out as Promise<unknown>).then(asText) : out;
  };
}
class CliPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    patchQuery(this as unknown as { query: QueryFn });
    this.on("connect", (client) => patchQuery(client as unknown as { query: QueryFn }));
  }
}

// The wasm engine leaves a long timer running; unref long timers so the CLI exits promptly.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const t = originalSetTimeout(fn, ms, ...args);
  if ((ms ?? 0) > 5_000 && typeof (t as { unref?: () => void }).unref === "function") (t as { unref: () => void }).unref();
  return t;
}) as typeof setTimeout;

function poolConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "") || "postgres"),
    allowExitOnIdle: true,
    max: 4,
  };
}

// The adapter's executeScript splits a migration on every ";", which breaks function bodies
// ($$ … ; … $$). Send the whole script in one simple-protocol query instead: PostgreSQL runs it as
// one implicit transaction, so a failing migration leaves nothing half-applied.
type ScriptAdapter = { executeScript(script: string): Promise<void>; underlyingDriver(): pg.Pool };
function wholeScripts<T>(adapter: T): T {
  const a = adapter as unknown as ScriptAdapter & { onError(e: unknown): never };
  a.executeScript = async (script: string) => {
    try {
      await a.underlyingDriver().query(script);
    } catch (error) {
      a.onError(error);
    }
  };
  return adapter;
}
class CliPrismaPg extends PrismaPg {
  async connect() {
    return wholeScripts(await super.connect());
  }
  async connectToShadowDb() {
    return wholeScripts(await super.connectToShadowDb());
  }
}

// `prisma generate` reads env("DATABASE_URL") from the schema but never connects: give it a placeholder.
process.env.DATABASE_URL ||= "postgresql://postgres@127.0.0.1:5432/postgres"; // also when set but empty (the embedded layer sets "")
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new CliPrismaPg(new CliPool(poolConfig(databaseUrl)));
  },
});
