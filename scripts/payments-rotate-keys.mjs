#!/usr/bin/env node
// npm run payments:rotate-keys: see scripts/payments-rotate-keys.ts. This wrapper installs what is
// missing (like npm start) and runs it with tsx.
import path from "node:path";
import { ensureDependencies, ensurePrismaClient } from "./lib/deps.mjs";
import { root } from "./lib/log.mjs";
import { bin, run } from "./lib/proc.mjs";

await ensureDependencies();
await ensurePrismaClient();
const code = await run(bin("tsx"), ["--conditions=react-server", path.join(root, "scripts", "payments-rotate-keys.ts"), ...process.argv.slice(2)]);
process.exit(code);
