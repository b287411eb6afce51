#!/usr/bin/env node
// npm test -- embedded: the default target, tested like production.
//
// Starts the app exactly as `npm start` does on a fresh clone with nothing configured (scripts/start.mjs:
// the embedded PostgreSQL, migrations, the demo data, the production build, the supervisor with
// WEB_CONCURRENCY=2 web processes and the worker), only in a
// temporary data folder (.data/test-embedded/run-<pid>) and on ports of its own; runs the journeys of
// tests/embedded (playwright.embedded.config.ts: several participants registering at once, the waitlist,
// the organizer's list, the door scanner's list and scans, a cancellation) against it; stops it with
// SIGTERM as Ctrl-C would; and FAILS when the server wrote any error to its output (an exception, an
// uncaughtException / unhandledRejection, a line with "Error"), when it did not stop cleanly, or when
// the embedded PostgreSQL was left running.
//
// The build is the one the e2e layer made (scripts/lib/build.mjs fingerprint): nothing is built twice.
// Ports: E2E_EMBEDDED_PORT (default E2E_PORT + 1, i.e. 3101), EMBEDDED_TEST_DB_PORT (default: a free one).
// Arguments after `--` go to Playwright (e.g. --headed, -g "waitlist").
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { EMBEDDED_DEFAULTS, isAlive, lockFileOf, runningEmbeddedServer, withDatabase } from "./lib/database.mjs";
import { fail, log, root, seconds } from "./lib/log.mjs";
import { bin, exitWithParent, run } from "./lib/proc.mjs";
import { errorLines } from "./lib/server-log.mjs";

const RUNS = path.join(root, ".data", "test-embedded");
const AUTH_SECRET = "aqstream-embedded-test-secret-0123456789abcdef";
const READY_TIMEOUT_MS = Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 15 * 60_000);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function removeStaleRuns() {
  if (!fs.existsSync(RUNS)) return;
  for (const name of fs.readdirSync(RUNS)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) fs.rmSync(path.join(RUNS, name), { recursive: true, force: true });
  }
}

async function main() {
  exitWithParent();
  const started = Date.now();
  const appPort = Number(process.env.E2E_EMBEDDED_PORT || Number(process.env.E2E_PORT || 3100) + 1);
  const dbPort = Number(process.env.EMBEDDED_TEST_DB_PORT || (await freePort()));
  removeStaleRuns();
  const runDir = path.join(RUNS, `run-${process.pid}`);
  const dataDir = path.join(runDir, "postgres");
  const logFile = path.join(runDir, "server.log");
  const stateFile = path.join(runDir, "state.json");
  fs.mkdirSync(runDir, { recursive: true });

  // A newcomer's environment: nothing configured. DATABASE_URL="" keeps a developer's .env from
  // pointing the app elsewhere (Next's env loading never overrides a variable that is set).
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(TEST_DATABASE_|E2E_STATE|TELEGRAM_|INNGEST_|SMTP_|UPLOADTHING_|RATE_LIMIT_|TRUSTED_PROXIES|SERVER_ROLE|DATABASE_POOL_SIZE|DATABASE_CONNECTION_BUDGET|WORKER_)/.test(key)) delete env[key];
  }
  Object.assign(env, {
    DATABASE_URL: "",
    NODE_ENV: "",
    PORT: String(appPort),
    EMBEDDED_DB_DIR: dataDir,
    EMBEDDED_DB_PORT: String(dbPort),
    AUTH_SECRET, // known to the tests, which make session cookies for participants (no sign-in per person)
    APP_URL: `http://localhost:${appPort}`,
    MEDIA_DIR: path.join(runDir, "media"),
    TELEGRAM_BOT_TOKEN: "",
    SMTP_URL: "",
    // npm start's supervisor with two web processes and the worker, whatever the machine's core count:
    // tests/embedded/cluster.spec.ts kills one of each.
    WEB_CONCURRENCY: "2",
  });
  delete env.NODE_ENV;

  log(`starting the app as npm start does (port ${appPort}, embedded PostgreSQL on ${dbPort}, ${path.relative(root, runDir)})`);
  const output = fs.openSync(logFile, "a");
  const server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => server.on("exit", (code, signal) => resolve({ code, signal })));
  let ready = false;
  let resolveReady;
  const readyPromise = new Promise((resolve) => (resolveReady = resolve));
  const onOutput = (stream) => {
    let pending = "";
    return (chunk) => {
      fs.writeSync(output, chunk);
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        stream.write(`[app] ${line}\n`);
        if (!ready && line.includes(`[aqstream] ready on http://localhost:${appPort}`)) {
          ready = true;
          resolveReady(true);
        }
      }
    };
  };
  server.stdout.on("data", onOutput(process.stdout));
  server.stderr.on("data", onOutput(process.stderr));

  let stopped = false;
  const stopServer = async () => {
    if (stopped) return exited;
    stopped = true;
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 60_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    }
    return exited;
  };
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      interrupted = true;
      void stopServer();
    });
  }

  const problems = [];
  let playwrightCode = 1;
  try {
    const outcome = await Promise.race([
      readyPromise,
      exited.then(() => false),
      new Promise((resolve) => setTimeout(() => resolve("timeout"), READY_TIMEOUT_MS).unref()),
    ]);
    if (outcome !== true) {
      problems.push(outcome === "timeout" ? `the app did not get ready within ${seconds(READY_TIMEOUT_MS)}` : "npm start exited before it was ready");
    } else {
      const db = runningEmbeddedServer(dataDir);
      if (!db) throw new Error(`the embedded PostgreSQL of ${dataDir} is not running (no ${lockFileOf(dataDir)})`);
      fs.writeFileSync(
        stateFile,
        JSON.stringify({ baseUrl: `http://localhost:${appPort}`, databaseUrl: withDatabase(db.url, EMBEDDED_DEFAULTS.database), authSecret: AUTH_SECRET, logFile }),
      );
      log(`── embedded journeys: playwright test -c playwright.embedded.config.ts (${seconds(Date.now() - started)} to start)`);
      playwrightCode = await run(bin("playwright"), ["test", "-c", path.join(root, "playwright.embedded.config.ts"), ...process.argv.slice(2)], {
        env: { ...process.env, E2E_EMBEDDED_STATE_FILE: stateFile },
      });
      if (playwrightCode !== 0) problems.push(`the journeys failed (playwright exit code ${playwrightCode})`);
    }
  } finally {
    const result = await stopServer();
    // Next exits with 128 + 15 after a graceful shutdown on SIGTERM, and npm start passes that on.
    if (!interrupted && ready && ((result.code !== 0 && result.code !== 143) || result.signal)) {
      problems.push(`npm start did not stop cleanly on SIGTERM (${result.signal ?? `exit code ${result.code}`})`);
    }
    fs.closeSync(output);
  }
  // The embedded PostgreSQL stops with the app: nothing may be left running on the data folder.
  const leftover = runningEmbeddedServer(dataDir);
  if (leftover) problems.push(`the embedded PostgreSQL (process ${leftover.pid}) was still running after npm start stopped`);

  const errors = errorLines(fs.readFileSync(logFile, "utf8"));
  if (errors.length) {
    problems.push(`the server logged ${errors.length} error line(s):\n${errors.slice(0, 40).map((l) => `    ${l}`).join("\n")}`);
  }

  if (problems.length === 0) {
    fs.rmSync(runDir, { recursive: true, force: true });
    log(`embedded layer passed in ${seconds(Date.now() - started)}; the server logged no error`);
    process.exit(0);
  }
  for (const problem of problems) console.error(`[aqstream] embedded layer: ${problem}`);
  console.error(`[aqstream] server output kept in ${path.relative(root, logFile)}`);
  process.exit(interrupted ? 130 : 1);
}

main().catch((error) => fail(error.stack ?? String(error)));
