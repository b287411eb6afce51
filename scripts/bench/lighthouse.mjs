#!/usr/bin/env node
// npm run bench:lighthouse — Lighthouse (npm lighthouse@12.2.3) driving Debian Chromium (CHROME_PATH,
// default /usr/bin/chromium; headless, --no-sandbox) against the production server's cached event page,
// with Lighthouse's default mobile emulation (Moto G Power screen, simulated slow 4G and 4× CPU slowdown).
// A benchmark, not a test: it prints the four category scores and the key metrics of each run and their
// median, plus every audit that did not pass, so they can be fixed. Target: performance ≥ 95.
//
// The server and its data come from scripts/bench/public-setup.mjs (same data set as bench:pages,
// smaller by default). Options: --runs N (3) --port N (BENCH_PORT, 3197) --events N --registrations N
// --path /e/… (audit another page of the same server) --embedded (the embedded PostgreSQL npm start runs)
// --keep --no-build.
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { setupPublicBench } from "./public-setup.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    port: { type: "string", default: process.env.BENCH_PORT || "3197" },
    orgs: { type: "string", default: "12" },
    events: { type: "string", default: "240" },
    registrations: { type: "string", default: "25000" },
    path: { type: "string" },
    embedded: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});

function positiveInt(value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`[bench:lighthouse] ${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

const RUNS = positiveInt(args.runs, "--runs");
const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";
const log = (...a) => console.log("[bench:lighthouse]", ...a);
let bench;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

async function main() {
  if (!fs.existsSync(CHROME_PATH)) {
    console.error(`[bench:lighthouse] no Chromium at ${CHROME_PATH} (apt-get install chromium, or set CHROME_PATH)`);
    process.exit(2);
  }
  bench = await setupPublicBench({
    label: "bench:lighthouse",
    port: positiveInt(args.port, "--port"),
    orgs: positiveInt(args.orgs, "--orgs"),
    events: positiveInt(args.events, "--events"),
    registrations: positiveInt(args.registrations, "--registrations"),
    keep: args.keep,
    build: !args["no-build"],
    embedded: args.embedded,
  });
  const pathname = args.path ?? `/e/${bench.target.org}/${bench.target.slug}`;
  // Lighthouse itself loads after the setup (it is a large module).
  const { default: lighthouse } = await import("lighthouse");
  const chromeLauncher = await import("chrome-launcher");

  // Warm the ISR cache (the first request renders the page) and the route's modules.
  for (let i = 0; i < 5; i++) {
    const res = await bench.get(pathname);
    if (res.status !== 200) throw new Error(`GET ${pathname} answered ${res.status}`);
  }

  const url = `${bench.base.replace("127.0.0.1", "localhost")}${pathname}`;
  const runs = [];
  for (let i = 1; i <= RUNS; i++) {
    const chrome = await chromeLauncher.launch({
      chromePath: CHROME_PATH,
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      logLevel: "silent",
    });
    try {
      const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error" });
      const lhr = result.lhr;
      if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      const metric = (id) => lhr.audits[id]?.numericValue ?? NaN;
      runs.push({
        lhr,
        performance: score("performance"),
        accessibility: score("accessibility"),
        bestPractices: score("best-practices"),
        seo: score("seo"),
        fcp: metric("first-contentful-paint"),
        lcp: metric("largest-contentful-paint"),
        tbt: metric("total-blocking-time"),
        cls: metric("cumulative-layout-shift"),
        si: metric("speed-index"),
        tti: metric("interactive"),
      });
      log(`run ${i}/${RUNS}: performance ${score("performance")}, accessibility ${score("accessibility")}, best practices ${score("best-practices")}, SEO ${score("seo")}`);
    } finally {
      await chrome.kill();
    }
  }

  const ms = (v) => `${Math.round(v)} ms`;
  const pick = (key) => median(runs.map((r) => r[key]));
  const last = runs.at(-1).lhr;
  const failing = [];
  for (const [id, category] of Object.entries(last.categories)) {
    for (const ref of category.auditRefs) {
      const audit = last.audits[ref.id];
      if (!audit || audit.scoreDisplayMode === "notApplicable" || audit.scoreDisplayMode === "informative" || audit.scoreDisplayMode === "manual") continue;
      if (audit.score !== null && audit.score < 0.9 && (ref.weight > 0 || id === "performance")) failing.push(`   [${id}] ${audit.title}${audit.displayValue ? ` — ${audit.displayValue}` : ""}`);
    }
  }
  const consoleErrors = (last.audits["errors-in-console"]?.details?.items ?? []).map((item) => `   console: ${item.source ?? ""} ${String(item.description ?? "").slice(0, 200)} ${item.sourceLocation?.url ?? item.url ?? ""}`);
  const lines = [
    "",
    "── Lighthouse (mobile emulation) ──────────────────────────────────────",
    `page             ${url}`,
    `lighthouse       ${last.lighthouseVersion}, ${last.environment?.hostUserAgent?.match(/Chrome\/[\d.]+/)?.[0] ?? "Chromium"}, ${last.configSettings.formFactor}, throttling ${last.configSettings.throttlingMethod}`,
    `machine          ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; median of ${RUNS} run(s)`,
    "",
    `performance      ${pick("performance")}   (runs: ${runs.map((r) => r.performance).join(", ")}; target ≥ 95: ${pick("performance") >= 95 ? "met" : "NOT met"})`,
    `accessibility    ${pick("accessibility")}`,
    `best practices   ${pick("bestPractices")}`,
    `SEO              ${pick("seo")}`,
    "",
    `FCP ${ms(pick("fcp"))} · LCP ${ms(pick("lcp"))} · TBT ${ms(pick("tbt"))} · CLS ${pick("cls").toFixed(3)} · Speed Index ${ms(pick("si"))} · TTI ${ms(pick("tti"))}`,
    "",
    failing.length ? `audits below 0.9 (last run):\n${failing.join("\n")}` : "audits below 0.9: none",
    ...consoleErrors,
  ];
  console.log(lines.join("\n"));
  await bench.cleanup();
  process.exit(0);
}

main().catch(async (error) => {
  console.error("[bench:lighthouse] failed:", error);
  await bench?.cleanup();
  process.exit(1);
});
