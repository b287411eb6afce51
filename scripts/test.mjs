#!/usr/bin/env node
// npm test: every check, in order, stopping at the first failure:
//   lint (eslint) → typecheck (tsc) → unit (vitest) → integration (vitest) → e2e (playwright)
//   → embedded (npm start as a newcomer runs it, on the embedded PostgreSQL: scripts/test-embedded.mjs).
// `npm test -- unit integration` runs only those layers ("lint" selects eslint and tsc).
// `npm run test:crash` (layer "crash", never part of the default run): the organizer-message crash test
// with the issue's 2,000 recipients (the integration layer runs it with 600).
// Time (the suite's budget is 20 minutes on two cores): eslint lints on every core; when the e2e layer
// follows, its production build starts in the background as the integration layer starts (the
// integration tests mostly wait on PostgreSQL and child processes), and the e2e layer waits for it.
// Installs dependencies and generates the Prisma client when needed, and picks the test database
// server for integration and e2e: TEST_DATABASE_URL, else DATABASE_URL, else PostgreSQL on
// 127.0.0.1:5432, else (or with TEST_DATABASE_EMBEDDED=1) one embedded PostgreSQL for the whole run.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { canConnect, describeUrl, isAlive, startEmbeddedDatabase, withDatabase } from "./lib/database.mjs";
import { ensureDependencies, ensurePrismaClient } from "./lib/deps.mjs";
import { fail, log, root, seconds } from "./lib/log.mjs";
import { bin, exitWithParent, run } from "./lib/proc.mjs";

const LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres";
const TEST_POSTGRES_DIR = path.join(root, ".data", "test-postgres");

const LAYERS = [
  // ESLint's "auto" concurrency is half the cores (one thread here); two threads are ~20% faster on two cores.
  { name: "lint", selectors: ["lint", "eslint"], command: () => [bin("eslint"), [".", "--max-warnings=0", "--concurrency", String(Math.max(2, os.availableParallelism() >> 1))]] },
  { name: "typecheck", selectors: ["lint", "typecheck", "tsc"], command: () => [bin("tsc"), ["--noEmit"]] },
  { name: "unit", selectors: ["unit"], command: () => [bin("vitest"), ["run", "--project", "unit"]] },
  {
    name: "integration",
    selectors: ["integration"],
    database: true,
    command: () => [bin("vitest"), ["run", "--project", "integration", "--project", "integration-serial"]],
  },
  { name: "e2e", selectors: ["e2e"], database: true, browser: true, command: () => [bin("playwright"), ["test"]] },
  // Its own embedded PostgreSQL, started by scripts/start.mjs itself; reuses the e2e layer's build.
  { name: "embedded", selectors: ["embedded"], browser: true, command: () => [process.execPath, [path.join(root, "scripts", "test-embedded.mjs")]] },
];

/** Layers run only when named (`npm run test:crash`). */
const OPTIONAL_LAYERS = [
  {
    name: "crash",
    selectors: ["crash"],
    database: true,
    env: { MESSAGES_CRASH_RECIPIENTS: "2000" },
    command: () => [bin("vitest"), ["run", "--project", "integration", "tests/integration/messages-crash.test.ts"]],
  },
];

/** The layers named on the command line (all default ones when none), in the fixed order above. */
function selectedLayers(args) {
  const all = [...LAYERS, ...OPTIONAL_LAYERS];
  const known = new Set(all.flatMap((l) => l.selectors));
  const unknown = args.filter((a) => !known.has(a));
  if (unknown.length) {
    fail(`unknown layer ${unknown.join(", ")}. Usage: npm test [-- lint|unit|integration|e2e|embedded|crash ...] (lint = eslint + tsc)`, 2);
  }
  return args.length ? all.filter((l) => l.selectors.some((s) => args.includes(s))) : LAYERS;
}

/**
 * The production build the e2e layer needs, started in the background: `scripts/e2e-server.mjs
 * --build-only` (the e2e server's own database and settings, scripts/lib/build.mjs's fingerprint and
 * machine-wide lock), so the e2e layer's server finds it done. Its output goes to a log file, printed
 * only when it fails; the e2e layer waits for it either way (and builds itself if it failed).
 */
function startBackgroundBuild(env) {
  const logFile = path.join(root, ".data", "test-build.log");
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, "w");
  const t0 = Date.now();
  log(`building the app for the e2e layer in the background (log: ${path.relative(root, logFile)})`);
  // The e2e server's own steps up to its build (a fresh database, the same settings), then it exits.
  // Its own process group, so a stop ends `next build` too.
  const child = spawn(process.execPath, [path.join(root, "scripts", "e2e-server.mjs"), "--build-only"], { cwd: root, env, stdio: ["ignore", out, out], detached: true });
  const done = new Promise((resolve) => {
    child.once("error", () => resolve(1));
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  }).then((code) => {
    fs.closeSync(out);
    if (code === 0) log(`background build done in ${seconds(Date.now() - t0)}`);
    else console.error(`[aqstream] the background build failed (exit ${code}); the e2e layer builds again:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`);
    return code;
  });
  return { child, done };
}

/** Chromium for Playwright: CHROME_PATH when set, else Debian's /usr/bin/chromium or chromium on PATH. */
function findChromium() {
  if (process.env.CHROME_PATH) return fs.existsSync(process.env.CHROME_PATH) ? process.env.CHROME_PATH : null;
  const candidates = ["/usr/bin/chromium"];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(path.join(dir, "chromium"));
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

/** Ensures a browser exists before anything runs: the end-to-end layer cannot work without it. */
function requireChromium() {
  const chromium = findChromium();
  if (chromium) return chromium;
  const where = process.env.CHROME_PATH ? `CHROME_PATH=${process.env.CHROME_PATH} does not exist` : "no /usr/bin/chromium";
  console.error(
    [
      `[aqstream] Chromium is missing (${where}): the end-to-end tests run in Debian's chromium (Playwright never downloads browsers here).`,
      "[aqstream] Install it with:   sudo apt-get install -y chromium      (as root: apt-get install -y chromium)",
      "[aqstream] or set CHROME_PATH to a Chromium/Chrome binary, or run the other layers: npm test -- lint unit integration",
    ].join("\n"),
  );
  process.exit(1);
}

/** Removes data folders of earlier test runs that were killed before they could clean up. */
function removeStaleRunFolders() {
  if (!fs.existsSync(TEST_POSTGRES_DIR)) return;
  for (const name of fs.readdirSync(TEST_POSTGRES_DIR)) {
    const pid = Number(/^run-(\d+)(\.|$)/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) fs.rmSync(path.join(TEST_POSTGRES_DIR, name), { recursive: true, force: true });
  }
}

/**
 * The test database server; the tests create their own databases on it (a template migrated once, a
 * copy per integration file, one per e2e run). Without a configured or local PostgreSQL, one embedded
 * PostgreSQL (the same server npm start runs, durability off) is started in a temporary folder for the
 * whole run, before the first layer that needs it.
 */
async function chooseDatabase() {
  if (/^(1|true|yes)$/i.test(process.env.TEST_DATABASE_EMBEDDED ?? "")) {
    return embeddedDatabase("the embedded PostgreSQL (TEST_DATABASE_EMBEDDED=1)");
  }
  const name = process.env.TEST_DATABASE_URL ? "TEST_DATABASE_URL" : process.env.DATABASE_URL ? "DATABASE_URL" : null;
  if (name) {
    const url = process.env[name];
    if (!(await canConnect(withDatabase(url, "postgres")))) {
      fail(`cannot connect to ${name} (${describeUrl(url)}); unset it to use PostgreSQL on 127.0.0.1:5432 or the embedded one`);
    }
    return { url, embedded: false, label: `${name} (${describeUrl(url)})` };
  }
  if (await canConnect(LOCAL_POSTGRES, 2000)) return { url: LOCAL_POSTGRES, embedded: false, label: "PostgreSQL on 127.0.0.1:5432" };
  return embeddedDatabase("the embedded PostgreSQL (no PostgreSQL answers on 127.0.0.1:5432)");
}

function embeddedDatabase(label) {
  removeStaleRunFolders();
  const dir = path.join(TEST_POSTGRES_DIR, `run-${process.pid}`, "postgres");
  const database = { url: null, embedded: true, label, stop: async () => {} };
  database.start = async () => {
    if (database.url) return;
    log(`starting the embedded PostgreSQL for the tests (${path.relative(root, dir)})…`);
    const server = await startEmbeddedDatabase({ dir, port: Number(process.env.EMBEDDED_TEST_DB_PORT || 0), fast: true });
    database.url = server.url;
    database.stop = async () => {
      await server.stop();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    };
    log(`embedded PostgreSQL ready on ${describeUrl(server.url)} in ${seconds(server.startedInMs)}`);
  };
  return database;
}

function layerEnv(database, chromium) {
  const env = { ...process.env };
  if (chromium) env.CHROME_PATH ??= chromium;
  if (database?.embedded) {
    // Only the private server is handed out: nothing may write into another database.
    delete env.TEST_DATABASE_URL;
    delete env.DATABASE_URL;
  }
  if (database?.url) {
    env.TEST_DATABASE_URL = database.url;
    delete env.TEST_DATABASE_EMBEDDED; // the server is chosen: the layers must not start another
  }
  return env;
}

function printSummary(results) {
  console.log("\n[aqstream] test summary");
  for (const r of results) {
    const status = { passed: "passed", failed: "FAILED", skipped: "skipped" }[r.status];
    console.log(`  ${r.name.padEnd(12)} ${status.padEnd(8)} ${r.ms === undefined ? "" : seconds(r.ms).padStart(8)}${r.note ? `  (${r.note})` : ""}`);
  }
  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.filter((r) => r.status === "failed").length;
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function main() {
  const started = Date.now();
  exitWithParent();
  const layers = selectedLayers(process.argv.slice(2));
  const chromium = layers.some((l) => l.browser) ? requireChromium() : null;

  await ensureDependencies();
  await ensurePrismaClient();

  let database = null;
  if (layers.some((l) => l.database)) {
    database = await chooseDatabase();
    log(`test database: ${database.label}`);
  }

  let interrupted = false;
  const onSignal = () => (interrupted = true); // the running tool gets the signal too; then we stop
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);

  const results = [];
  let exitCode = 0;
  let build = null;
  try {
    for (const layer of layers) {
      if (exitCode !== 0 || interrupted) {
        results.push({ name: layer.name, status: "skipped" });
        continue;
      }
      if (layer.name === "e2e" && !fs.existsSync(path.join(root, "playwright.config.ts"))) {
        results.push({ name: layer.name, status: "skipped", note: "no playwright.config.ts yet" });
        continue;
      }
      if (layer.database && database?.embedded) {
        try {
          await database.start();
        } catch (error) {
          console.error(`[aqstream] the embedded PostgreSQL did not start: ${error.message}`);
          results.push({ name: layer.name, status: "failed", note: "embedded PostgreSQL did not start" });
          exitCode = 1;
          continue;
        }
      }
      if (layer.name === "integration" && layers.some((l) => l.name === "e2e") && !build) {
        // tsc already passed over everything in this run: the build need not type-check again (next.config.ts).
        const typechecked = results.some((r) => r.name === "typecheck" && r.status === "passed");
        build = startBackgroundBuild({ ...layerEnv(null, chromium), ...(typechecked ? { AQ_BUILD_TYPECHECKED: "1" } : {}) });
      }
      if (layer.name === "e2e" && build) {
        log("waiting for the background build…");
        await build.done;
      }
      const [command, args] = layer.command();
      log(`── ${layer.name}: ${path.basename(command)} ${args.join(" ")}`);
      const t0 = Date.now();
      const code = await run(command, args, { env: { ...layerEnv(database, chromium), ...layer.env } });
      results.push({ name: layer.name, status: code === 0 ? "passed" : "failed", ms: Date.now() - t0 });
      if (code !== 0) exitCode = code;
    }
  } finally {
    if (build && build.child.exitCode === null && build.child.signalCode === null) {
      try {
        process.kill(-build.child.pid, "SIGTERM"); // a layer failed before e2e: the build is not needed
      } catch {}
      await build.done;
    }
    await database?.stop?.();
  }

  const failed = printSummary(results);
  log(`total ${seconds(Date.now() - started)}`);
  process.exit(failed ? exitCode || 1 : interrupted ? 130 : 0);
}

main().catch((error) => fail(error.stack ?? String(error)));
