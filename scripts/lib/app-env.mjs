// The environment the app runs with: .env files (as Next reads them), a persistent AUTH_SECRET,
// and the URL settings for a local start.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { log, root } from "./log.mjs";

/**
 * Loads .env, .env.local, .env.production / .env.development (what Next itself reads) into process.env,
 * so a DATABASE_URL written there is honoured here too. Variables already set win.
 */
export function loadDotEnv({ dev }) {
  const requireFromNext = createRequire(path.join(root, "node_modules", "next", "package.json"));
  const { loadEnvConfig } = requireFromNext("@next/env");
  loadEnvConfig(root, dev, { info: () => {}, error: console.error });
}

/** AUTH_SECRET from the environment, else one generated once and kept in .data/auth-secret. */
export function ensureAuthSecret() {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(root, ".data", "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    log("AUTH_SECRET is not set: generated one into .data/auth-secret (set AUTH_SECRET in production)");
  } else {
    log("AUTH_SECRET is not set: using the one in .data/auth-secret");
  }
  return fs.readFileSync(file, "utf8").trim();
}

export function appPort() {
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid PORT: ${process.env.PORT}`);
  return port;
}

/** Environment for next build / start / dev and the seed. */
export function appEnv({ databaseUrl, port }) {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: ensureAuthSecret(),
    AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST || "true",
    APP_URL: process.env.APP_URL || `http://localhost:${port}`,
    PORT: String(port),
    // Next's anonymous usage reports stay off for every next build / start / dev we run.
    NEXT_TELEMETRY_DISABLED: "1",
  };
}
