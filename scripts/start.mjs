#!/usr/bin/env node
// npm start: from a fresh clone to the production app on http://localhost:3000 (PORT overrides).
// Installs dependencies, generates the Prisma client, starts the embedded PostgreSQL unless
// DATABASE_URL is set, migrates, seeds the demo data, builds when the sources changed, and serves.
import { ensureBuild } from "./lib/build.mjs";
import { log } from "./lib/log.mjs";
import { prepareApp, serveNext } from "./lib/prepare.mjs";
import { exitWithParent } from "./lib/proc.mjs";

exitWithParent();

const { database, env, port } = await prepareApp({ dev: false });

// The build gets a small connection pool: its workers may each open one.
await ensureBuild({ ...env, DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE || "3" });

log(`starting the production server on port ${port}…`);
await serveNext("start", { database, env: { ...env, NODE_ENV: "production" }, port });
