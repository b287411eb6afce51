#!/usr/bin/env node
// npm run dev: the same preparation as npm start (dependencies, Prisma client, database, migrations,
// demo seed), then the Next development server with hot reload.
import { log } from "./lib/log.mjs";
import { prepareApp, serveNext } from "./lib/prepare.mjs";
import { exitWithParent } from "./lib/proc.mjs";

exitWithParent();

const { database, env, port } = await prepareApp({ dev: true });

log(`starting the development server on port ${port}…`);
// next dev gives the app no client address: every request counts as "dev-local" for per-IP rate
// limits (lib/http/client-address.ts). RATE_LIMIT_EXEMPT_IPS=dev-local switches them off locally.
log('per-IP rate limits: every request of the development server counts as client "dev-local" (RATE_LIMIT_EXEMPT_IPS=dev-local exempts it)');
const { NODE_ENV: _ignored, ...devEnv } = env; // next dev sets NODE_ENV=development itself
await serveNext("dev", { database, env: devEnv, port, note: " (development)" });
