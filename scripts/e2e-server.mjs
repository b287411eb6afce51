#!/usr/bin/env node
// The server the end-to-end tests run against (Playwright's webServer):
//   1. creates a fresh database aq_e2e_<timestamp>_<pid> on the server of TEST_DATABASE_URL
//      (default postgresql://postgres@127.0.0.1:5432/postgres) and migrates it (prisma migrate deploy);
//   2. runs prisma/seed.ts if it exists;
//   3. builds with `next build` only when the sources changed since the last build (scripts/lib/build.mjs,
//      the check npm start makes; E2E_BUILD=1 builds anyway), never two builds at once on this machine;
//   4. starts the production server scripts/server.mjs on port 3100 (E2E_PORT) with a test AUTH_SECRET,
//      AUTH_TRUST_HOST=true and RATE_LIMIT_EXEMPT_IPS=127.0.0.1,::1 (every browser of the run is this
//      machine: without it the parallel journeys would share the per-IP limits; nothing is exempt by default);
//   5. starts the fake Telegram Bot API (tests/fakes/telegram-bot-api.ts, standalone) and gives the app
//      a test bot token, TELEGRAM_BOT_USERNAME=aqstream_test_bot and TELEGRAM_API_ROOT=<fake>, so the
//      bot long-polls the fake and every message it sends is recorded there;
//   6. on SIGTERM / SIGINT (or if the server dies) stops the server and the fake and drops the database.
// It writes { databaseUrl, baseUrl, telegram: { apiRoot, botToken, botUsername } } to E2E_STATE_FILE
// so tests can check the database and drive the fake (tests/e2e/support.ts).
// `--build-only`: steps 1–3, then drops the database and exits (npm test starts this in the background
// while the integration layer runs, so the e2e layer finds the build made with exactly its settings).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureBuild as ensureBuildOnce } from "./lib/build.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3100);
const baseUrl = `http://localhost:${port}`;
const adminUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const stateFile = process.env.E2E_STATE_FILE || path.join(os.tmpdir(), `aqstream-e2e-${port}.json`);
// Fixed, test-only secret (≥ 32 characters, as production mode requires).
const AUTH_SECRET = "aqstream-e2e-test-secret-0123456789abcdef";
const STALE_AFTER_MS = 12 * 60 * 60 * 1000;
// Test-only bot identity; the fake answers 401 to any other token.
const TELEGRAM_BOT_TOKEN = "123456789:AQStream-e2e_test-token";
const TELEGRAM_BOT_USERNAME = "aqstream_test_bot";

const log = (...args) => console.log("[e2e-server]", ...args);

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(fn) {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function run(command, args, env, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Builds when the sources changed (or E2E_BUILD=1). */
function ensureBuild(env) {
  return ensureBuildOnce(env, { force: process.env.E2E_BUILD === "1" });
}

let databaseName;
let server;
let fakeTelegram;
let stopping = false;

/** Starts the fake Bot API in its own process and resolves with its URL (FAKE_TELEGRAM_URL=… on stdout). */
function startFakeTelegram() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(root, "tests/fakes/telegram-bot-api.ts"), "--port", "0", "--token", TELEGRAM_BOT_TOKEN],
      { cwd: root, env: { ...process.env, NODE_ENV: "test" }, stdio: ["ignore", "pipe", "inherit"] },
    );
    fakeTelegram = child;
    let output = "";
    const timer = setTimeout(() => reject(new Error("the fake Telegram Bot API did not start within 30 s")), 30_000);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const url = /FAKE_TELEGRAM_URL=(\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!stopping) {
        reject(new Error(`the fake Telegram Bot API exited (${signal ?? `exit ${code}`})`));
        if (server) {
          console.error("[e2e-server] the fake Telegram Bot API exited");
          void stop(1);
        }
      }
    });
  });
}

async function stopFakeTelegram() {
  const child = fakeTelegram;
  fakeTelegram = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

async function dropDatabase() {
  if (!databaseName) return;
  const name = databaseName;
  databaseName = undefined;
  try {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    log(`dropped database ${name}`);
  } catch (error) {
    console.error(`[e2e-server] could not drop database ${name}:`, error.message);
  }
  fs.rmSync(stateFile, { force: true });
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
  await stopFakeTelegram();
  await dropDatabase();
  process.exit(code);
}

process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
process.on("SIGHUP", () => void stop(0));

async function main() {
  // Databases left behind by runs that were killed outright (SIGKILL) are removed after 12 hours.
  await admin(async (c) => {
    const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'aq_e2e_%'");
    for (const { datname } of rows) {
      const ts = Number(/^aq_e2e_(\d+)/.exec(datname)?.[1]);
      if (ts && Date.now() - ts > STALE_AFTER_MS) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });

  databaseName = `aq_e2e_${Date.now()}_${process.pid}`;
  await admin((c) => c.query(`CREATE DATABASE "${databaseName}"`));
  const databaseUrl = withDatabase(adminUrl, databaseName);
  log(`created database ${databaseName}`);

  const baseEnv = { ...process.env, DATABASE_URL: databaseUrl };
  await run(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], baseEnv, "prisma migrate deploy");

  if (fs.existsSync(path.join(root, "prisma/seed.ts"))) {
    log("seeding (prisma/seed.ts)");
    await run(path.join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "prisma/seed.ts"], baseEnv, "seed");
  }

  const appEnv = {
    ...baseEnv,
    NODE_ENV: "production",
    AUTH_SECRET,
    AUTH_TRUST_HOST: "true",
    APP_URL: baseUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    // The dev mailbox /dev/mail (mail_outbox) is served in production too: tests follow mailed links.
    DEV_MAILBOX: "1",
    // Explicitly, for this test server only: all journeys come from this machine (TRUSTED_PROXIES unset,
    // so the client address is the loopback connection's).
    RATE_LIMIT_EXEMPT_IPS: "127.0.0.1,::1",
    TRUSTED_PROXIES: "",
    // The demo payment provider (no money moves) for the pay journeys (tests/e2e/payments.spec.ts).
    PAYMENTS_DEMO: "1",
    // Payment providers' credentials are encrypted at rest; production refuses to store them without a key
    // (docs/payments.md → "Keys"). A fixed test key, for this test server only.
    PAYMENTS_ENCRYPTION_KEYS: "e2e:ZTJlLXBheW1lbnRzLWtleS0wMTIzNDU2Nzg5YWJjZGU=",
    // Outbound webhooks' receivers run on this machine (tests/e2e/webhooks.spec.ts): private and http URLs allowed here only.
    WEBHOOKS_ALLOW_PRIVATE_URLS: "1",
    WEBHOOKS_ALLOW_HTTP: "1",
  };

  // The same build check as npm start (scripts/lib/build.mjs): a build made by either is reused.
  await ensureBuild(appEnv);
  if (process.argv.includes("--build-only")) return stop(0);

  if (stopping) return;
  const telegramApiRoot = await startFakeTelegram();
  log(`fake Telegram Bot API on ${telegramApiRoot} (bot @${TELEGRAM_BOT_USERNAME})`);
  const telegramEnv = {
    TELEGRAM_BOT_TOKEN,
    TELEGRAM_BOT_USERNAME,
    TELEGRAM_API_ROOT: telegramApiRoot,
    // Long polling: the webhook settings of the developer's shell must not leak in.
    TELEGRAM_WEBHOOK_URL: "",
    TELEGRAM_WEBHOOK_SECRET: "",
  };

  if (stopping) return;
  log(`starting scripts/server.mjs on ${baseUrl}`);
  server = spawn(process.execPath, [path.join(root, "scripts/server.mjs"), "--port", String(port)], {
    cwd: root,
    env: { ...appEnv, ...telegramEnv },
    stdio: "inherit",
  });
  server.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[e2e-server] the app server exited (${signal ?? `exit ${code}`})`);
    void stop(code || 1);
  });
  fs.writeFileSync(
    stateFile,
    JSON.stringify({
      databaseUrl,
      baseUrl,
      pid: process.pid,
      telegram: { apiRoot: telegramApiRoot, botToken: TELEGRAM_BOT_TOKEN, botUsername: TELEGRAM_BOT_USERNAME },
    }),
  );
}

main().catch(async (error) => {
  console.error("[e2e-server]", error.message ?? error);
  await stop(1);
});
