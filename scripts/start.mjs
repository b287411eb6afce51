#!/usr/bin/env node
// npm start: from a fresh clone to the production app on http://localhost:3000 (PORT overrides).
// Installs dependencies, generates the Prisma client, starts the embedded PostgreSQL unless
// DATABASE_URL is set, migrates, seeds the demo data (embedded database only), builds when the sources
// changed, and serves.
//
//   npm start                      the whole thing
//   npm start -- --prepare-only    only the database part (migrations, demo data on the embedded one), then exit
import { ensureBuild } from "./lib/build.mjs";
import { fail, log } from "./lib/log.mjs";
import { prepareApp, serveNext } from "./lib/prepare.mjs";
import { exitWithParent } from "./lib/proc.mjs";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--prepare-only");
if (unknown.length) fail(`unknown option ${unknown.join(" ")} (npm start [-- --prepare-only])`, 2);
const prepareOnly = args.includes("--prepare-only");

exitWithParent();

const { database, env, port } = await prepareApp({ dev: false, prepareOnly });

if (prepareOnly) {
  await database.stop();
  log("database ready (--prepare-only: not starting the server)");
  process.exit(0);
}

// The build gets a small connection pool: its workers may each open one.
try {
  await ensureBuild({ ...env, DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE || "3" });
} catch (error) {
  await database.stop();
  fail(error.message);
}

log(`starting the production server on port ${port}…`);
await serveNext("start", { database, env: { ...env, NODE_ENV: "production" }, port });
