// The production build: `next build` only when there is none, or when what goes into it changed.
// The fingerprint of the inputs is kept in .next/aq-build-hash.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { log, root, seconds } from "./log.mjs";
import { runOrExit } from "./proc.mjs";

const HASH_FILE = path.join(root, ".next", "aq-build-hash");

// Everything in the repository goes into the fingerprint (so a new top-level folder such as messages/
// counts without editing this list) except what the build does not read.
const IGNORED_DIRS = new Set([
  ".git", ".next", ".data", ".ci", "node_modules", "tests", "scripts", "docs", "coverage", "out",
  "test-results", "playwright-report", "bench-results", "uploads", "lib/generated", "prisma/migrations",
]);
const IGNORED_FILES = new Set(["prisma/seed.ts", "playwright.config.ts", "vitest.config.ts", "eslint.config.mjs", "next-env.d.ts"]);
const IGNORED_PATTERNS = [/\.md$/i, /\.tsbuildinfo$/, /^\.env/, /^\.DS_Store$/, /\.log$/];

function listInputs(dir = root, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(root, full).split(path.sep).join("/");
    if (entry.isDirectory()) {
      if (!IGNORED_DIRS.has(rel)) listInputs(full, out);
    } else if (entry.isFile() && !IGNORED_FILES.has(rel) && !IGNORED_PATTERNS.some((re) => re.test(entry.name))) {
      out.push(rel);
    }
  }
  return out;
}

/** Fingerprint of the build inputs: sources, config, lockfile, schema, and NEXT_PUBLIC_* variables. */
export function buildFingerprint() {
  const h = createHash("sha256");
  for (const rel of listInputs().sort()) h.update(`${rel}\0`).update(fs.readFileSync(path.join(root, rel))).update("\0");
  for (const key of Object.keys(process.env).filter((k) => k.startsWith("NEXT_PUBLIC_")).sort()) {
    h.update(`env:${key}=${process.env[key]}\0`);
  }
  return h.digest("hex");
}

function buildId() {
  const file = path.join(root, ".next", "BUILD_ID");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : null;
}

/**
 * Why a build is needed, or null when .next holds a build of the current sources. The hash file also
 * names the build it belongs to, so a build made by something else (a plain `next build`) is not trusted.
 */
function buildReason(fingerprint) {
  const id = buildId();
  if (!id) return "no production build yet";
  const recorded = fs.existsSync(HASH_FILE) ? fs.readFileSync(HASH_FILE, "utf8").trim() : "";
  return recorded === `${fingerprint} ${id}` ? null : "sources changed since the last build";
}

/** Ensures .next holds a production build of the current sources. */
export async function ensureBuild(env) {
  const fingerprint = buildFingerprint();
  const reason = buildReason(fingerprint);
  if (!reason) {
    log("production build is up to date");
    return;
  }
  log(`building the app (${reason}); this takes a few minutes on a small machine…`);
  const started = Date.now();
  fs.rmSync(HASH_FILE, { force: true }); // an interrupted build must not look current
  await runOrExit(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { env });
  fs.writeFileSync(HASH_FILE, `${fingerprint} ${buildId()}`);
  log(`build finished in ${seconds(Date.now() - started)}`);
}
