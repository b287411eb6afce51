// The production build: `next build` only when there is none, or when what goes into it changed.
// The fingerprint of the inputs is kept in .next/aq-build-hash. npm start, npm run build, the end-to-end
// servers and the benchmarks all build through ensureBuild(), so a build made by one is reused by the
// others, and a machine-wide lock keeps two builds from running at once (the machines have 2 cores).
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isAlive } from "./database.mjs";
import { log, root, seconds } from "./log.mjs";
import { run } from "./proc.mjs";
import { completeStandalone } from "./standalone.mjs";

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
export function buildFingerprint(env = process.env) {
  const h = createHash("sha256");
  for (const rel of listInputs().sort()) h.update(`${rel}\0`).update(fs.readFileSync(path.join(root, rel))).update("\0");
  for (const key of Object.keys(env).filter((k) => k.startsWith("NEXT_PUBLIC_")).sort()) {
    h.update(`env:${key}=${env[key]}\0`);
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

const LOCK = path.join(os.tmpdir(), "aqstream-next-build.lock");

/** Runs `fn` holding the build lock (a folder with the owner's pid); waits while another build runs. */
async function withBuildLock(fn) {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, "pid"), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(path.join(LOCK, "pid"), "utf8"));
      } catch {
        // being written, or left by an older version without a pid file
      }
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if ((owner && !isAlive(owner)) || (!owner && age > 60_000) || age > 30 * 60_000) {
        fs.rmSync(LOCK, { recursive: true, force: true }); // left by a build that was killed
        continue;
      }
      if (!told) {
        log(`waiting for another build on this machine to finish (process ${owner || "?"}, lock ${LOCK})…`);
        told = true;
      }
      if (Date.now() - started > 30 * 60_000) throw new Error(`the build lock ${LOCK} was held for 30 minutes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Ensures .next holds a production build of the current sources (`force`: build anyway). Resolves with
 * true when it built; throws when the build failed.
 */
export async function ensureBuild(env, { force = false } = {}) {
  // A current build needs no lock (another checkout may be building meanwhile); a stale one is
  // checked again under the lock, since another process may have just built the same sources.
  if (!force && !buildReason(buildFingerprint(env))) {
    log("production build is up to date");
    completeStandalone(); // the server scripts are not build inputs: keep the standalone copy current
    return false;
  }
  return withBuildLock(async () => {
    const fingerprint = buildFingerprint(env);
    const reason = force ? "requested" : buildReason(fingerprint);
    if (!reason) {
      log("production build is up to date");
      return false;
    }
    log(`building the app (${reason}); this takes a few minutes on a small machine…`);
    const started = Date.now();
    fs.rmSync(HASH_FILE, { force: true }); // an interrupted build must not look current
    const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
    const code = await run(process.execPath, [next, "build"], { env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (code !== 0) throw new Error(`next build failed (exit code ${code})`);
    const standalone = completeStandalone();
    if (standalone) log(`standalone server ready in ${path.relative(root, standalone)} (node ${path.relative(root, standalone)}/scripts/cluster.mjs)`);
    fs.writeFileSync(HASH_FILE, `${fingerprint} ${buildId()}`);
    log(`build finished in ${seconds(Date.now() - started)}`);
    return true;
  });
}
