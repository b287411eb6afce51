#!/usr/bin/env node
// npm run bench:pages — speed of the public side (docs/public-pages.md → "Benchmarks"). A benchmark,
// not a test: it prints figures and exits non-zero only when something is broken (a page does not
// answer 200, the data set is not what it should be).
//
//   1. builds the app when .next is missing or stale (scripts/lib/build.mjs; the build reads no database);
//   2. creates a fresh database aq_bench_pages_<timestamp>_<pid> on BENCH_DATABASE_URL / TEST_DATABASE_URL
//      (default postgresql://postgres@127.0.0.1:5432/postgres), migrates it (prisma migrate deploy) and
//      fills it with SQL (generate_series): --orgs organizations (12), --events events (240: mostly public
//      and PUBLISHED over the next four months, some private, drafts, past), 1–3 ticket types each and
//      --registrations guest registrations (25,000) spread over them, counters kept consistent;
//   3. starts the production server as npm start does (the supervisor: web processes on every core + the
//      worker; BENCH_SERVER=single → one all-in-one process) on --port (BENCH_PORT, default 3198);
//   4. warms up (the first request of an ISR page renders and caches it), then runs autocannon for
//      --duration seconds (10) at --connections (50) against the catalogue (/events) and a cached
//      event page (/e/<org>/<event>, the one with the most registrations and an OPEN participants
//      list), plus the live availability API the page's island calls, and a trivial route on the same
//      server (GET /api/health/live: no database, no rendering — the framework's own ceiling);
//   5. prints requests/s, p50/p95 latency, errors and non-2xx answers of each, and the JavaScript the
//      event page ships: every <script src> of its HTML, gzipped (level 9) and summed; then drops the
//      database and stops the server.
//
// Options: --orgs N --events N --registrations N --connections N --duration S --port N --embedded (the embedded PostgreSQL
// npm start runs) --keep --no-build. A smoke run: --events 20 --registrations 200 --duration 1 --connections 5.
// Targets on the 2-core machine: ≥ 1,000 requests/s for the cached event page, ≤ 150 KiB of gzipped JS.
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import { appProcesses, serverMode } from "./app-server.mjs";
import { setupPublicBench } from "./public-setup.mjs";

const { values: args } = parseArgs({
  options: {
    orgs: { type: "string", default: "12" },
    events: { type: "string", default: "240" },
    registrations: { type: "string", default: "25000" },
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    port: { type: "string", default: process.env.BENCH_PORT || "3198" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});

function positiveInt(value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`[bench:pages] ${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

const CONNECTIONS = positiveInt(args.connections, "--connections");
const DURATION = positiveInt(args.duration, "--duration");
const log = (...a) => console.log("[bench:pages]", ...a);
let bench; // set once the server runs
let base;
const get = (pathname, headers) => bench.get(pathname, headers);

// ───────────────────────────── measurements ─────────────────────────────

/** CPU seconds (user + system) used so far by the server process and its children (/proc, clock ticks of 1/100 s). */
function serverCpuSeconds(rootPid) {
  const children = new Map();
  const stats = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      stats.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const visit = (pid) => {
    total += stats.get(pid) ?? 0;
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(rootPid);
  return total;
}

async function load(autocannon, label, pathname) {
  const latencies = [];
  const cpuBefore = serverCpuSeconds(bench.pid);
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon({ url: `${base}${pathname}`, connections: CONNECTIONS, duration: DURATION, headers: { "accept-encoding": "gzip" } }, (error, res) =>
      error ? reject(error) : resolve(res),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const cpu = serverCpuSeconds(bench.pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : NaN);
  return {
    label,
    pathname,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: Math.round(pct(50)),
    p95: Math.round(pct(95)),
    p99: Math.round(pct(99)),
    errors: result.errors + result.timeouts,
    cpuMsPerRequest: result.requests.total ? (cpu * 1000) / result.requests.total : NaN,
    non2xx: result.non2xx,
  };
}

async function javascriptWeight(pathname) {
  const page = await get(pathname);
  if (page.status !== 200) throw new Error(`GET ${pathname} answered ${page.status}`);
  const html = page.body.toString("utf8");
  // <script nomodule> (the legacy polyfills) is skipped by every browser that runs modules: listed, not counted.
  const tags = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)];
  const sources = [...new Set(tags.filter((m) => !/\bnomodule\b/i.test(m[0])).map((m) => m[1].replace(/&amp;/g, "&")))];
  const legacy = [...new Set(tags.filter((m) => /\bnomodule\b/i.test(m[0])).map((m) => m[1].replace(/&amp;/g, "&")))];
  let raw = 0;
  let gzipped = 0;
  const files = [];
  for (const src of sources) {
    const res = await get(new URL(src, base).pathname);
    if (res.status !== 200) throw new Error(`GET ${src} answered ${res.status}`);
    const size = zlib.gzipSync(res.body, { level: 9 }).length;
    raw += res.body.length;
    gzipped += size;
    files.push({ src, raw: res.body.length, gzipped: size });
  }
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((sum, m) => sum + Buffer.byteLength(m[1]), 0);
  let legacyGzipped = 0;
  for (const src of legacy) legacyGzipped += zlib.gzipSync((await get(new URL(src, base).pathname)).body, { level: 9 }).length;
  return { scripts: sources.length, raw, gzipped, files, legacy: legacy.length, legacyGzipped, htmlRaw: page.body.length, htmlGzipped: zlib.gzipSync(page.body, { level: 9 }).length, inline, cache: page.headers["x-nextjs-cache"] ?? "-" };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main() {
  const autocannon = (await import("autocannon")).default;
  const loadavg = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  log(`${CONNECTIONS} connections × ${DURATION} s, cpus ${os.cpus().length}, load ${loadavg()}`);
  bench = await setupPublicBench({
    label: "bench:pages",
    port: positiveInt(args.port, "--port"),
    orgs: positiveInt(args.orgs, "--orgs"),
    events: positiveInt(args.events, "--events"),
    registrations: positiveInt(args.registrations, "--registrations"),
    keep: args.keep,
    build: !args["no-build"],
    embedded: args.embedded,
  });
  base = bench.base;
  bench.processes = await appProcesses(Number(new URL(base).port), bench.pid);
  const { target, counts } = bench;

  const eventPath = `/e/${target.org}/${target.slug}`;
  const availabilityPath = `/api/events/${target.id}/availability`;
  const routes = [
    ["catalogue", "/events"],
    ["event page", eventPath],
    ["availability API", availabilityPath],
    ["trivial route", "/api/health/live"],
  ];
  // Warm-up: the first request renders and caches each ISR page and loads the route's modules.
  for (const [label, pathname] of routes) {
    for (let i = 0; i < 20; i++) {
      const res = await get(pathname);
      if (res.status !== 200) throw new Error(`${label} ${pathname} answered ${res.status}`);
    }
  }
  const weight = await javascriptWeight(eventPath);
  await autocannon({ url: `${base}${eventPath}`, connections: 10, duration: 2 });
  await new Promise((r) => setTimeout(r, 1000));

  const results = [];
  for (const [label, pathname] of routes) {
    log(`autocannon ${label} ${pathname} (load ${loadavg()})`);
    results.push(await load(autocannon, label, pathname));
    await new Promise((r) => setTimeout(r, 1000));
  }

  const pad = (s, n) => String(s).padEnd(n);
  const lines = [
    "",
    "── public pages benchmark ─────────────────────────────────────────────",
    `machine        ${os.cpus().length} CPUs, load average after the run ${loadavg()}`,
    `data           ${counts.orgs} organizations, ${counts.events} events (${counts.listed} upcoming public), ${counts.types} ticket types, ${counts.registrations} registrations (${counts.on_target} on the measured event)`,
    `load           autocannon, ${CONNECTIONS} connections, ${DURATION} s per route, gzip accepted`,
    "",
    `${pad("route", 18)}${pad("req/s", 10)}${pad("p50 ms", 9)}${pad("p95 ms", 9)}${pad("p99 ms", 9)}${pad("requests", 10)}${pad("errors", 8)}${pad("non-2xx", 9)}server CPU/request`,
    ...results.map(
      (r) =>
        `${pad(r.label, 18)}${pad(r.rps.toFixed(0), 10)}${pad(r.p50, 9)}${pad(r.p95, 9)}${pad(r.p99, 9)}${pad(r.requests, 10)}${pad(r.errors, 8)}${pad(r.non2xx, 9)}${r.cpuMsPerRequest.toFixed(2)} ms (≈ ${Math.round((os.cpus().length * 1000) / r.cpuMsPerRequest)} req/s if the server had every core)`,
    ),
    "",
    `ratio          event page ÷ trivial route: ${(results[1].rps / results[3].rps).toFixed(2)}; catalogue ÷ trivial: ${(results[0].rps / results[3].rps).toFixed(2)} (same server, same load)`,
    `server         ${serverMode() === "single" ? "one all-in-one process (BENCH_SERVER=single)" : `npm start's supervisor: ${bench.processes.filter((p) => p.role === "web").length} web processes + worker`}`,
    "",
    `event page     ${eventPath} (x-nextjs-cache: ${weight.cache})`,
    `JavaScript     ${weight.scripts} <script src> files, ${kib(weight.raw)} raw, ${kib(weight.gzipped)} gzipped (target ≤ 150 KiB)`,
    `               not counted: ${weight.legacy} <script nomodule> file(s), ${kib(weight.legacyGzipped)} gzipped (legacy polyfills; never loaded by browsers that run modules)`,
    `HTML           ${kib(weight.htmlRaw)} raw, ${kib(weight.htmlGzipped)} gzipped (inline scripts ${kib(weight.inline)} raw)`,
    ...weight.files.map((f) => `   ${kib(f.gzipped).padStart(10)}  ${f.src}`),
    "",
    `targets        cached event page ≥ 1,000 req/s: ${results[1].rps >= 1000 ? "met" : "NOT met"}; JS ≤ 150 KiB gzipped: ${weight.gzipped <= 150 * 1024 ? "met" : "NOT met"}`,
  ];
  console.log(lines.join("\n"));
  const broken = results.some((r) => r.non2xx > 0 || r.errors > 0);
  await bench.cleanup();
  process.exit(broken ? 1 : 0);
}

main().catch(async (error) => {
  console.error("[bench:pages] failed:", error);
  await bench?.cleanup();
  process.exit(1);
});
