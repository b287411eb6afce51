#!/usr/bin/env node
// npm run build: `next build` (always), with Next's telemetry off, recorded so that npm start reuses it.
import { ensureBuild } from "./lib/build.mjs";
import { fail } from "./lib/log.mjs";

try {
  await ensureBuild({ ...process.env, NODE_ENV: "production" }, { force: true });
} catch (error) {
  fail(error.message);
}
