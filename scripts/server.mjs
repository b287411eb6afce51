#!/usr/bin/env node
// The production server: what `next start` does, plus what Next 16 cannot do for the app — decide who
// the client is, and give cached pages a Content-Security-Policy. Route handlers and server actions
// get no socket address, and `next start` passes a client-supplied X-Forwarded-For through unchanged,
// so per-IP rate limits keyed on it were trivially bypassed. Here, for every request:
//   1. the client address is resolved from the socket's remote address and X-Forwarded-For according
//      to TRUSTED_PROXIES (scripts/lib/client-address.mjs) and handed to the app in x-aq-client-ip
//      (any incoming x-aq-client-ip is replaced: the app trusts only this header, lib/http/client-address.ts);
//   2. when the peer is not a trusted proxy, the X-Forwarded-* / Forwarded / X-Real-IP headers it sent
//      are dropped (Next then fills X-Forwarded-For/-Host/-Proto from the connection itself);
//   3. Strict-Transport-Security is added when the request was served over https (APP_URL is https://,
//      or a trusted proxy says X-Forwarded-Proto: https);
//   4. every HTML page gets its Content-Security-Policy (lib/http/content-security-policy.mjs): the
//      hashes of its inline scripts when it is answered in one piece (cached pages stay cached), a
//      per-request nonce when it is streamed. For that this server compresses responses itself (after
//      the hashes are taken; next.config.ts sets compress: false).
// Otherwise it behaves like `next start`: PORT / HOSTNAME, a "Ready" line, keep-alive
// (KEEP_ALIVE_TIMEOUT_MS), and on SIGTERM / SIGINT it stops accepting connections, lets in-flight
// requests finish (at most SHUTDOWN_TIMEOUT_MS), closes Next and exits.
//
// Roles (SERVER_ROLE, docs/deployment.md): "all" (the default: one process does everything), "web"
// (requests only; no background work) and "worker" (jobs, crons, the Telegram transport; its HTTP server
// listens on WORKER_HOSTNAME:WORKER_PORT, 127.0.0.1 and a free port by default, and answers /api/health
// only). `npm start` runs the supervisor scripts/cluster.mjs, which forks this file as WEB_CONCURRENCY web
// processes sharing the port plus one worker, and talks to them over IPC (the "ready" message, the
// cluster's process list for /api/health). Web and all-in-one processes listen on the cache bus
// (lib/cache/cache-bus.mjs) before they serve, so no revalidation by another process is missed.
//
// Usage: node scripts/server.mjs [--port N] [--hostname H] [--dir D]   (npm start runs it for you)
// startServer() starts one server and returns a handle.
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import compression from "compression";
import {
  allowsInlineStyles,
  contentSecurityPolicy,
  inlineScriptHashes,
  newNonce,
  nonceRequestPolicy,
} from "../lib/http/content-security-policy.mjs";
import { CLIENT_ADDRESS_HEADER, createClientAddressResolver, describeTrustedProxies, parseTrustedProxies } from "./lib/client-address.mjs";

const root = path.resolve(import.meta.dirname, "..");

export const SERVER_ROLES = ["all", "web", "worker"];

/** The cluster state the app reads (lib/cluster: CLUSTER_STATE_KEY), kept up to date from the supervisor's messages. */
const CLUSTER_STATE = Symbol.for("aqstream.cluster");

/** What a worker process answers over HTTP: the health routes only. */
function isHealthPath(url) {
  return url === "/api/health" || url.startsWith("/api/health/") || url.startsWith("/api/health?");
}

/** Tells the app (lib/http/client-address.ts) that x-aq-client-ip comes from this server, not a client. */
const SERVER_MARK = Symbol.for("aqstream.client-address-server");

/**
 * Functions the app asks to be awaited when the process stops (the page-view counters' last flush:
 * lib/analytics/beacon.ts SHUTDOWN_HOOKS_KEY, the same global symbol): a Set of () => Promise.
 */
const SHUTDOWN_HOOKS = Symbol.for("aqstream.shutdown-hooks");

/** How long close() waits for the shutdown hooks (the supervisor kills a child 5 s after SHUTDOWN_TIMEOUT_MS). */
export const SHUTDOWN_HOOKS_TIMEOUT_MS = 3_000;

/**
 * Runs the app's shutdown hooks together (exported for tests): a failing hook is logged, the others still
 * run; resolves when all settled or after `timeoutMs`, whichever comes first. Called by close() once the
 * requests in flight have finished (so what they counted is included) and before Next closes.
 */
export async function runShutdownHooks(timeoutMs = SHUTDOWN_HOOKS_TIMEOUT_MS) {
  const hooks = globalThis[SHUTDOWN_HOOKS];
  if (!hooks || hooks.size === 0) return;
  const settled = Promise.allSettled([...hooks].map(async (hook) => hook())).then((results) => {
    for (const result of results) if (result.status === "rejected") console.error("[server] a shutdown hook failed:", result.reason);
  });
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([settled, timeout]);
  clearTimeout(timer);
}

/** Request headers only a trusted proxy may set. */
const PROXY_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

/** Request headers Next takes a script nonce from: only this server sets them (applyContentSecurityPolicy). */
const NONCE_HEADERS = ["content-security-policy", "content-security-policy-report-only"];

export const HSTS_VALUE = "max-age=31536000";

function firstToken(value) {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== "string") return "";
  const comma = text.indexOf(",");
  return (comma < 0 ? text : text.slice(0, comma)).trim().toLowerCase();
}

/**
 * The per-request part (exported for tests): resolves the client address into x-aq-client-ip, drops
 * proxy headers an untrusted peer sent, sets HSTS on https. Returns { https } — whether the request
 * was served over https — or null when the connection has no address any more (it is already
 * closed): the request is then dropped.
 */
export function createRequestPreparer({ trustedProxies, appUrl }) {
  const resolve = createClientAddressResolver(trustedProxies);
  const alwaysHttps = typeof appUrl === "string" && appUrl.startsWith("https:");
  return function prepareRequest(req, res) {
    const headers = req.headers;
    const { address, viaProxy } = resolve(req.socket.remoteAddress, headers["x-forwarded-for"]);
    if (!address) return null;
    headers[CLIENT_ADDRESS_HEADER] = address;
    if (!viaProxy) {
      for (const name of PROXY_HEADERS) if (name in headers) delete headers[name];
    }
    const https = alwaysHttps || !!req.socket.encrypted || (viaProxy && firstToken(headers["x-forwarded-proto"]) === "https");
    if (https) res.setHeader("strict-transport-security", HSTS_VALUE);
    return { https };
  };
}

/** The Content-Type a writeHead(status, [message], [headers]) call passes, if any. */
function contentTypeIn(args) {
  const headers = args.find((a) => a !== null && typeof a === "object");
  if (!headers) return undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === "content-type") return String(headers[i + 1]);
    return undefined;
  }
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === "content-type") return String(value);
  return undefined;
}

/**
 * Gives the response its Content-Security-Policy when it turns out to be an HTML page (exported for
 * tests). The request carries a fresh nonce (Next puts it on the scripts it streams); the response
 * header is decided when the headers go out: answered in one piece (res.end(body) with nothing
 * written before: a cached page) → the hashes of the inline scripts in that body; streamed → the
 * nonce. A 304 gets none (it would replace the policy stored with the cached page). Hash lists are
 * remembered per ETag, so a cached page is hashed once.
 */
export function createContentSecurityPolicy({ telegramWidget = false, cacheSize = 1000 } = {}) {
  const byEtag = new Map();

  function hashedPolicy(res, body, options) {
    const etag = res.getHeader("etag");
    const key = typeof etag === "string" ? `${etag}|${body.length}|${options.https}|${options.inlineStyles}` : null;
    const known = key && byEtag.get(key);
    if (known) return known;
    const html = typeof body === "string" ? body : body.toString("utf8");
    const policy = contentSecurityPolicy({ ...options, scriptSources: inlineScriptHashes(html) });
    if (key) {
      if (byEtag.size >= cacheSize) byEtag.clear();
      byEtag.set(key, policy);
    }
    return policy;
  }

  return function applyContentSecurityPolicy(req, res, { https }) {
    for (const name of NONCE_HEADERS) if (name in req.headers) delete req.headers[name];
    const nonce = newNonce();
    req.headers["content-security-policy"] = nonceRequestPolicy(nonce);
    const options = { https, telegramWidget, inlineStyles: allowsInlineStyles(req.url) };
    let decided = false;

    function decide(body, contentType) {
      if (decided) return;
      decided = true;
      if (res.headersSent || res.statusCode === 304) return;
      const type = contentType ?? res.getHeader("content-type");
      if (typeof type !== "string" || !type.toLowerCase().startsWith("text/html")) return;
      const whole = typeof body === "string" || Buffer.isBuffer(body);
      const policy = whole ? hashedPolicy(res, body, options) : contentSecurityPolicy({ ...options, scriptSources: [`'nonce-${nonce}'`] });
      res.setHeader("content-security-policy", policy);
    }

    const { writeHead, write, end, flushHeaders } = res;
    res.writeHead = function (...args) {
      decide(undefined, contentTypeIn(args));
      return writeHead.apply(this, args);
    };
    res.flushHeaders = function (...args) {
      decide(undefined);
      return flushHeaders.apply(this, args);
    };
    res.write = function (...args) {
      decide(undefined);
      return write.apply(this, args);
    };
    res.end = function (...args) {
      decide(typeof args[0] === "function" ? undefined : args[0]);
      return end.apply(this, args);
    };
  };
}

function positiveInt(value, name) {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

/**
 * Starts one server. Resolves once it listens and Next is ready, with
 * { server, port, url, close(): Promise<void> }. Throws on an invalid TRUSTED_PROXIES (before Next starts).
 */
export async function startServer({
  dir = root,
  dev = false,
  port = 3000,
  hostname,
  trustedProxies = process.env.TRUSTED_PROXIES,
  appUrl = process.env.APP_URL,
  keepAliveTimeoutMs = positiveInt(process.env.KEEP_ALIVE_TIMEOUT_MS, "KEEP_ALIVE_TIMEOUT_MS"),
  shutdownTimeoutMs = positiveInt(process.env.SHUTDOWN_TIMEOUT_MS, "SHUTDOWN_TIMEOUT_MS") ?? 10_000,
  role = "all",
  instance,
  quiet = false,
} = {}) {
  const started = Date.now();
  if (!SERVER_ROLES.includes(role)) throw new Error(`SERVER_ROLE must be one of ${SERVER_ROLES.join(", ")}, got "${role}"`);
  const proxies = parseTrustedProxies(trustedProxies);
  const prepareRequest = createRequestPreparer({ trustedProxies: proxies, appUrl });
  let applyContentSecurityPolicy;
  const compress = compression();
  // Like `next start`: production unless told otherwise (React picks its build when it is first loaded).
  process.env.NODE_ENV ??= dev ? "development" : "production";
  const { default: next } = await import("next");
  globalThis[SERVER_MARK] = true;
  globalThis[CLUSTER_STATE] ??= { instance: instance ?? role, supervisorPid: null, processes: [] };
  // Listen for other processes' revalidations before the first request (lib/cache/cache-handler.mjs).
  if (role !== "worker" && !dev) {
    const { processCacheBus } = await import("../lib/cache/cache-bus.mjs");
    const bus = processCacheBus();
    if (bus) await Promise.race([bus.ready, new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  let closing = false;
  let handle;
  let handlerReady;
  const handlerPromise = new Promise((resolve) => (handlerReady = resolve));
  async function serve(req, res, prepared) {
    // Listening starts before Next is prepared (as `next start` does: a taken port fails at once,
    // before any background work starts); early requests wait for it.
    if (!handle) await handlerPromise;
    applyContentSecurityPolicy?.(req, res, prepared);
    handle(req, res).catch((error) => {
      console.error(`Failed to handle request for ${req.url}`);
      console.error(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end("Internal Server Error");
      } else {
        res.destroy();
      }
    });
  }

  const server = http.createServer((req, res) => {
    const prepared = prepareRequest(req, res);
    if (!prepared) {
      req.socket.destroy();
      return;
    }
    if (instance) res.setHeader("x-aq-instance", instance);
    if (role === "worker" && !isHealthPath(req.url ?? "")) {
      res.statusCode = 404;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end("This is the background worker: it answers /api/health only.\n");
      return;
    }
    if (closing) res.setHeader("connection", "close");
    // Compression first, so the policy (installed over it) sees the page before it is compressed.
    compress(req, res, () => void serve(req, res, prepared));
  });
  // Behind a load balancer, keep idle connections open longer than it does (else it reuses a socket
  // this server is just closing: sporadic 502s). Headers must be allowed at least that long.
  if (keepAliveTimeoutMs) {
    server.keepAliveTimeout = keepAliveTimeoutMs;
    server.headersTimeout = Math.max(server.headersTimeout, keepAliveTimeoutMs + 1000);
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const shownHost = !hostname || hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `http://${shownHost}:${actualPort}`;
  // As `next start` does: the port for the app, the origin for forwarded server actions.
  process.env.PORT = String(actualPort);
  process.env.__NEXT_PRIVATE_ORIGIN = url;

  // The configuration the build recorded (what Next's standalone server.js does too): no next.config.ts
  // to compile at start-up, and the same server works from .next/standalone, which has no next.config.ts.
  const requiredServerFiles = path.join(dir, ".next", "required-server-files.json");
  if (!dev && !process.env.__NEXT_PRIVATE_STANDALONE_CONFIG && fs.existsSync(requiredServerFiles)) {
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(fs.readFileSync(requiredServerFiles, "utf8")).config);
  }
  const app = next({ dev, dir, port: actualPort, hostname: hostname ?? "localhost", httpServer: server, quiet });
  try {
    await app.prepare();
  } catch (error) {
    server.close();
    throw error;
  }
  // After prepare(): Next has loaded the .env files by now. With a bot token the sign-in pages may show
  // Telegram's Login Widget (lib/http/content-security-policy.mjs). Not in development: React's dev
  // build evaluates code and the dev server talks over websockets.
  if (!dev) applyContentSecurityPolicy = createContentSecurityPolicy({ telegramWidget: !!process.env.TELEGRAM_BOT_TOKEN?.trim() });
  handle = app.getRequestHandler();
  handlerReady();

  if (!quiet) {
    const { version } = createRequire(path.join(dir, "package.json"))("next/package.json");
    console.log(`  ▲ Next.js ${version} (scripts/server.mjs, role ${role}${instance ? `, ${instance}` : ""}, pid ${process.pid})`);
    console.log(`  - Local:          ${url}`);
    console.log(`  - Client address: ${describeTrustedProxies(proxies)}`);
    console.log(` ✓ Ready in ${Date.now() - started}ms`);
  }

  let closed;
  function close() {
    closed ??= (async () => {
      closing = true;
      // Stop accepting. Node's server.close() also drops every connection without a request in
      // progress — including fresh ones whose request has arrived but not been read yet (the event
      // loop was busy rendering): those clients would see a reset. So idle connections are closed
      // only after a grace period, then every second; responses from now on say Connection: close;
      // whatever still runs after SHUTDOWN_TIMEOUT_MS is cut off.
      const closeIdle = server.closeIdleConnections;
      server.closeIdleConnections = () => {};
      const drained = new Promise((resolve) => server.close(() => resolve()));
      server.closeIdleConnections = closeIdle;
      const idle = setInterval(() => server.closeIdleConnections(), Math.min(1000, shutdownTimeoutMs));
      const timer = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs);
      await drained;
      clearInterval(idle);
      clearTimeout(timer);
      await runShutdownHooks();
      await app.close();
    })();
    return closed;
  }

  return { server, port: actualPort, url, close };
}

/** HOSTNAME, except the machine's own name that Docker puts there (listening on it hides the server from 127.0.0.1). */
function hostnameFromEnv() {
  const value = process.env.HOSTNAME?.trim();
  if (!value) return undefined;
  if (value === os.hostname() && !/^[\d.:]+$/.test(value) && value !== "localhost") return undefined;
  return value;
}

async function main() {
  const { values } = parseArgs({
    options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" }, dir: { type: "string" } },
  });
  let port;
  let handle;
  const role = process.env.SERVER_ROLE?.trim() || "all";
  const instance = process.env.AQ_INSTANCE?.trim() || undefined;
  // Under the supervisor (scripts/cluster.mjs): its messages carry the cluster's process list.
  process.on("message", (message) => {
    if (message?.type === "aq:cluster") {
      globalThis[CLUSTER_STATE] = { instance: instance ?? role, supervisorPid: process.ppid, processes: message.processes };
    }
  });
  try {
    if (role === "worker") {
      // The worker serves no pages: its HTTP server is for health checks, on this machine by default.
      port = Number(process.env.WORKER_PORT || 0);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`WORKER_PORT must be a port number, got "${process.env.WORKER_PORT}"`);
    } else {
      port = positiveInt(values.port ?? process.env.PORT ?? "3000", "PORT");
      if (port > 65535) throw new Error(`PORT must be at most 65535, got ${port}`);
    }
    const hostname = role === "worker" ? process.env.WORKER_HOSTNAME?.trim() || "127.0.0.1" : (values.hostname ?? hostnameFromEnv());
    handle = await startServer({ dir: values.dir ? path.resolve(values.dir) : root, port, hostname, role, instance });
    process.send?.({ type: "aq:ready", role, pid: process.pid, port: handle.port });
  } catch (error) {
    if (error?.code === "EADDRINUSE") console.error(`[server] port ${port} is already in use: set PORT to use another one`);
    else console.error(`[server] cannot start: ${error?.message ?? error}`);
    process.exit(1);
  }
  let signalled = false;
  const shutdown = (signal) => {
    // Ctrl-C in a shell reaches this process and its parent (npm start), which passes it on as well.
    if (signalled) return;
    signalled = true;
    console.log(`[server] ${signal}: ${role === "all" ? "all-in-one" : role} process ${process.pid} is finishing requests in flight and shutting down…`);
    handle.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // Forked by the supervisor: when it is gone (killed outright), stop like on SIGTERM.
  if (process.send) process.once("disconnect", () => shutdown("supervisor gone"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.title = "aqstream-server";
  await main();
}
