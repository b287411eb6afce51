// What every benchmark does around its measurement, in one place: its own database (created, migrated,
// dropped; --embedded for the embedded PostgreSQL), the build, the production server with the
// benchmark's settings, Auth.js session cookies, an HTTP client, a pool of concurrent tasks, percentiles,
// and cleanup on exit or Ctrl-C. A benchmark keeps only its data, its load and its report.
//
//   const bench = createBench({ label: "bench:rush", prefix: "aq_bench_rush", keep: args.keep, embedded: args.embedded });
//   const databaseUrl = await bench.createDatabase();          // aq_bench_rush_<ms>_<pid>, migrated
//   await bench.build(databaseUrl, AUTH_SECRET);               // unless --no-build
//   const server = await bench.startServer({ port, databaseUrl, authSecret: AUTH_SECRET });
//   …
//   bench.finish(main);                                        // runs main, cleans up, exits 0/1
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { ensureDependencies, ensurePrismaClient } from "../lib/deps.mjs";
import { root } from "../lib/log.mjs";
import { startAppServer } from "./app-server.mjs";
import { benchDatabaseServer } from "./database.mjs";

export const SESSION_COOKIE = "authjs.session-token";

/** A positive integer option, or exit 2 with the option's name. */
export function positiveInt(label, value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`[${label}] ${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `tasks` (async functions of the worker index) with at most `concurrency` in flight. */
export async function pool(tasks, concurrency) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tasks.length) }, async (_, worker) => {
      while (next < tasks.length) {
        const task = tasks[next++];
        await task(worker);
      }
    }),
  );
}

/** The cookie Auth.js would set for a session row (lib/identity/auth.ts: the jwt callback keeps { sub, sid }). */
export async function sessionCookie(authSecret, userId, sessionId, maxAge = 24 * 60 * 60) {
  const { encode } = await import("next-auth/jwt");
  const token = await encode({ token: { sub: userId, sid: sessionId }, secret: authSecret, salt: SESSION_COOKIE, maxAge });
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * An HTTP client for the server on `port`: `request(method, path, { cookie, body, headers, encoding })`
 * resolves with { status, headers, json, text, bytes (on the wire), decodedBytes, ms, at } and never
 * rejects (a failed connection is status 0).
 */
export function httpClient(port, { maxSockets = 64 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  function request(method, pathname, { cookie, body, headers: extra = {}, encoding = "identity" } = {}) {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const headers = { "accept-language": "en", "accept-encoding": encoding, ...extra };
    if (payload !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    if (cookie) headers.cookie = cookie;
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    return new Promise((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: pathname, method, agent, headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const ms = elapsed();
          const raw = Buffer.concat(chunks);
          const enc = res.headers["content-encoding"];
          const decoded = enc === "br" ? zlib.brotliDecompressSync(raw) : enc === "gzip" ? zlib.gunzipSync(raw) : raw;
          const text = decoded.toString("utf8");
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, headers: res.headers, json, text, bytes: raw.length, decodedBytes: decoded.length, ms, at: performance.now() });
        });
      });
      req.on("error", (error) => resolve({ status: 0, headers: {}, json: { error: error.message }, text: "", bytes: 0, decodedBytes: 0, ms: elapsed(), at: performance.now() }));
      req.end(payload);
    });
  }
  return { request, agent };
}

/** Fails when something already accepts connections on the port (another engineer's server, a leftover). */
export async function assertPortFree(port) {
  const taken = await new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(false));
  });
  if (taken) throw new Error(`port ${port} is already in use (another server?): pass --port N or BENCH_PORT=N`);
}

/** Runs a tool; its output is shown only when it fails (or returned with `capture`). */
export function runTool(command, argv, env, label, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let all = "";
    child.stdout.on("data", (d) => ((out += d), (all += d)));
    child.stderr.on("data", (d) => (all += d));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) return resolve(capture ? out : undefined);
      process.stderr.write(all);
      reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Runs a TypeScript helper of the benchmarks with tsx (server code: react-server conditions); its last stdout line is JSON. */
export async function runTs(file, argv, env, label) {
  const out = await runTool(path.join(root, "node_modules", ".bin", "tsx"), ["--conditions=react-server", path.join(root, "scripts", "bench", file), ...argv], env, label, { capture: true });
  return JSON.parse(out.trim().split("\n").at(-1));
}

/** The server's settings during a benchmark: production, this machine's load exempt from per-IP limits, nothing external. */
export function serverEnv({ port, databaseUrl, authSecret, extra = {} }) {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: authSecret,
    AUTH_TRUST_HOST: "true",
    APP_URL: `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    // The load comes from this machine: its own address is exempt from per-IP limits, explicitly (nothing
    // is by default). TRUSTED_PROXIES unset: the client address is the loopback connection's.
    RATE_LIMIT_EXEMPT_IPS: "127.0.0.1,::1",
    TRUSTED_PROXIES: "",
    // No Telegram, no Inngest: notifications are queued (and wait for a bot token), as on a fresh install.
    TELEGRAM_BOT_TOKEN: "",
    TELEGRAM_WEBHOOK_URL: "",
    TELEGRAM_WEBHOOK_SECRET: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_SIGNING_KEY: "",
    ...extra,
  };
}

/**
 * One benchmark run: `label` prefixes its log lines; its database is `<prefix>_<ms>_<pid>` (runs of the
 * same benchmark left behind by a killed run over 6 hours old are dropped); `keep` keeps it.
 */
export function createBench({ label, prefix, keep = false, embedded = false }) {
  const log = (...a) => console.log(`[${label}]`, ...a);
  let pg;
  let databaseServer;
  let databaseName;
  let server;
  let stopping = false;

  async function admin(fn) {
    const client = new pg.Client({ connectionString: withDatabase(databaseServer.adminUrl, "postgres") });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  async function createDatabase() {
    await ensureDependencies();
    await ensurePrismaClient();
    pg = (await import("pg")).default;
    databaseServer = await benchDatabaseServer({ label, embedded });
    await admin(async (c) => {
      const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}_%`]);
      for (const { datname } of rows) {
        const ts = Number(new RegExp(`^${prefix}_(\\d+)_`).exec(datname)?.[1]);
        if (ts && Date.now() - ts > 6 * 3600_000) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    });
    databaseName = `${prefix}_${Date.now()}_${process.pid}`;
    await admin((c) => c.query(`CREATE DATABASE "${databaseName}"`));
    const databaseUrl = withDatabase(databaseServer.adminUrl, databaseName);
    log(`created database ${databaseName}; migrating`);
    await runTool(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], { ...process.env, DATABASE_URL: databaseUrl }, "prisma migrate deploy");
    return databaseUrl;
  }

  /** A client of the benchmark's database (errors after a forced drop are ignored). */
  async function connect(databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on("error", () => {});
    await client.connect();
    return client;
  }

  /**
   * Builds the app when .next is missing or stale (scripts/lib/build.mjs), in a child process (it exits on
   * failure) so that this one can clean up; the build gets the migrated database (some pages are prerendered).
   */
  async function build(databaseUrl, authSecret) {
    const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: databaseUrl, AUTH_SECRET: authSecret, AUTH_TRUST_HOST: "true", DATABASE_POOL_SIZE: "3" };
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", `import { ensureBuild } from ${JSON.stringify(path.join(root, "scripts/lib/build.mjs"))}; await ensureBuild(process.env);`], { cwd: root, env, stdio: "inherit" });
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the build failed (exit ${code})`))));
    });
  }

  /**
   * Starts the production server as npm start does (scripts/bench/app-server.mjs; `mode` "single" forces
   * one all-in-one process) on a free port; the run fails if it exits on its own.
   * BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server.
   */
  async function startServer({ port, databaseUrl, authSecret, extraEnv = {}, mode }) {
    await assertPortFree(port);
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? process.env.BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
    server = await startAppServer({
      port,
      env: serverEnv({ port, databaseUrl, authSecret, extra: extraEnv }),
      label,
      nodeArgs,
      mode,
      onExit: (code, signal) => {
        if (!stopping) {
          console.error(`[${label}] the server exited (${signal ?? `exit ${code}`})`);
          void cleanup().then(() => process.exit(1));
        }
      },
    });
    return server;
  }

  async function cleanup() {
    if (stopping) return;
    stopping = true;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (databaseName && !keep) {
      const name = databaseName;
      try {
        await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
        log(`dropped database ${name}`);
      } catch (error) {
        console.error(`[${label}] could not drop database ${name}: ${error.message}`);
      }
    } else if (databaseName) {
      log(`kept database ${databaseName}`);
    }
    await databaseServer?.stop({ keep });
  }

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => void cleanup().then(() => process.exit(130)));
  }

  /** Runs `main` (resolves with a list of correctness failures), cleans up, exits 0 or 1. */
  function finish(main) {
    main()
      .then(async (failures = []) => {
        await cleanup();
        if (failures.length) {
          console.error(`[${label}] FAILED: ${failures.join(", ")}`);
          process.exit(1);
        }
        process.exit(0);
      })
      .catch(async (error) => {
        console.error(`[${label}]`, error);
        await cleanup();
        process.exit(1);
      });
  }

  return {
    log,
    createDatabase,
    connect,
    build,
    startServer,
    cleanup,
    finish,
    admin,
    get databaseKind() {
      return databaseServer?.kind;
    },
    get adminUrl() {
      return databaseServer?.adminUrl;
    },
  };
}
