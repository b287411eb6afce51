// Dependencies and the generated Prisma client: installed/generated only when missing or out of date,
// so a second start costs a few file reads.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fail, log, root } from "./log.mjs";
import { bin, run, runOrExit } from "./proc.mjs";

const file = (...parts) => path.join(root, ...parts);
const INSTALL_MARKER = file("node_modules", ".aq-install-marker");
const SCHEMA = file("prisma", "schema.prisma");
const CLIENT_DIR = file("lib", "generated", "prisma");
const CLIENT_MARKER = path.join(CLIENT_DIR, ".aq-schema-hash");

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function readJson(p) {
  return JSON.parse(fs.readFileSync(p, "utf8"));
}

/** What the installed tree depends on: the dependency fields of package.json and the whole lockfile. */
function dependencyFingerprint() {
  const pkg = readJson(file("package.json"));
  const h = createHash("sha256");
  for (const key of ["dependencies", "devDependencies", "optionalDependencies", "overrides"]) {
    h.update(`${key}:${JSON.stringify(pkg[key] ?? {})}\n`);
  }
  if (fs.existsSync(file("package-lock.json"))) h.update(fs.readFileSync(file("package-lock.json")));
  return h.digest("hex");
}

/** True when package-lock.json was written for the current dependency lists of package.json (what npm ci checks). */
function lockMatchesPackageJson() {
  const lockPath = file("package-lock.json");
  if (!fs.existsSync(lockPath)) return false;
  const pkg = readJson(file("package.json"));
  const locked = readJson(lockPath).packages?.[""] ?? {};
  return ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].every(
    (key) => JSON.stringify(sorted(pkg[key])) === JSON.stringify(sorted(locked[key])),
  );
}

function sorted(record = {}) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * True when node_modules holds exactly the versions package-lock.json asks for, judged by npm's own
 * record of the installed tree (node_modules/.package-lock.json).
 */
function installedTreeMatchesLock() {
  const hiddenPath = file("node_modules", ".package-lock.json");
  if (!fs.existsSync(hiddenPath)) return false;
  const wanted = readJson(file("package-lock.json")).packages ?? {};
  const installed = readJson(hiddenPath).packages ?? {};
  for (const [location, entry] of Object.entries(wanted)) {
    // "" is the project itself; extraneous entries are not installed by npm ci; bundled ones ship inside their parent.
    if (!location || entry.link || entry.extraneous || entry.inBundle) continue;
    const have = installed[location];
    if (!have) {
      if (entry.optional || entry.devOptional) continue; // platform-specific packages of other systems
      return false;
    }
    if (have.version !== entry.version) return false;
  }
  return true;
}

/**
 * Why dependencies must be (re)installed, or null when node_modules is current. Fast path: the
 * install marker is newer than package.json and package-lock.json. Otherwise the installed tree is
 * compared with the lockfile, so an edit that changed no dependency (or an install made by hand)
 * costs no reinstall.
 */
export function installReason() {
  if (!fs.existsSync(file("node_modules"))) return "node_modules is missing";
  const marker = mtime(INSTALL_MARKER);
  if (marker && Math.max(mtime(file("package.json")), mtime(file("package-lock.json"))) <= marker) return null;
  const fingerprint = dependencyFingerprint();
  const hasLock = fs.existsSync(file("package-lock.json"));
  const current = hasLock
    ? lockMatchesPackageJson() && installedTreeMatchesLock()
    : marker > 0 && fs.readFileSync(INSTALL_MARKER, "utf8").trim() === fingerprint;
  if (current) {
    fs.writeFileSync(INSTALL_MARKER, fingerprint);
    return null;
  }
  if (hasLock && !lockMatchesPackageJson()) return "package.json lists dependencies package-lock.json does not have";
  return hasLock ? "node_modules does not match package-lock.json" : "package.json changed since the last install";
}

/** Ensures node_modules matches package.json / package-lock.json (npm ci with a lockfile, else npm install). */
export async function ensureDependencies() {
  const reason = installReason();
  if (!reason) return;
  const hasLock = fs.existsSync(file("package-lock.json"));
  log(`installing dependencies… (${reason})`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const flags = ["--no-audit", "--no-fund"];
  let code = await run(npm, [hasLock ? "ci" : "install", ...flags]);
  if (code !== 0 && hasLock && !process.env.CI) {
    log("npm ci failed (is package-lock.json out of sync with package.json?); trying npm install…");
    code = await run(npm, ["install", ...flags]);
  }
  if (code !== 0) fail(`installing dependencies failed (exit code ${code})`, code);
  fs.writeFileSync(INSTALL_MARKER, dependencyFingerprint());
}

function schemaFingerprint() {
  const prismaVersion = readJson(file("node_modules", "prisma", "package.json")).version;
  return createHash("sha256").update(prismaVersion).update("\n").update(fs.readFileSync(SCHEMA)).digest("hex");
}

/** Ensures lib/generated/prisma exists and was generated from the current schema (and Prisma version). */
export async function ensurePrismaClient() {
  const fingerprint = schemaFingerprint();
  const recorded = fs.existsSync(CLIENT_MARKER) ? fs.readFileSync(CLIENT_MARKER, "utf8").trim() : null;
  if (recorded === fingerprint && fs.existsSync(path.join(CLIENT_DIR, "client.ts"))) return;
  log(recorded ? "prisma/schema.prisma changed: generating the Prisma client…" : "generating the Prisma client…");
  await runOrExit(bin("prisma"), ["generate"], { quiet: true });
  fs.writeFileSync(CLIENT_MARKER, fingerprint);
}
