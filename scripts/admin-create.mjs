#!/usr/bin/env node
// npm run admin:create -- --email you@example.com: see scripts/admin-create.ts. This wrapper installs what
// is missing (like npm start) and runs it with tsx, the terminal attached (the password prompt).
import path from "node:path";
import { ensureDependencies, ensurePrismaClient } from "./lib/deps.mjs";
import { root } from "./lib/log.mjs";
import { bin, run } from "./lib/proc.mjs";

await ensureDependencies();
await ensurePrismaClient();
const code = await run(bin("tsx"), ["--conditions=react-server", path.join(root, "scripts", "admin-create.ts"), ...process.argv.slice(2)]);
process.exit(code);
