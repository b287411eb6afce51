// Completes Next's standalone output (next.config.ts `output: "standalone"`) into a folder that runs by
// itself — what the Docker image copies (docs/deployment.md):
//   .next/standalone/                 Next's traced server files and node_modules (made by next build)
//     public/, .next/static/          copied here: Next leaves them out (a CDN may serve them instead)
//     scripts/server.mjs, cluster.mjs the production server and supervisor (+ the modules they import)
//     node_modules/<their packages>   what those import that Next did not trace (compression, pg, …)
// Run by ensureBuild() after every build; `node .next/standalone/scripts/cluster.mjs` (or server.mjs)
// then serves without the repository.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { root } from "./log.mjs";

/** Files of the repository the servers need, besides Next's trace. */
const SERVER_FILES = [
  "scripts/server.mjs",
  "scripts/cluster.mjs",
  "scripts/lib/cluster-plan.mjs",
  "scripts/lib/client-address.mjs",
  "scripts/lib/parent-watch.mjs",
  "lib/http/content-security-policy.mjs",
  "lib/cache/cache-bus.mjs",
  "lib/cache/cache-handler.mjs",
];

/** Packages those files import (their dependencies are followed). */
const SERVER_PACKAGES = ["compression", "pg"];

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true, dereference: true, force: true });
}

/** The package folder of `name` as seen from `fromDir`, or null. */
function packageDir(name, fromDir) {
  try {
    const req = createRequire(path.join(fromDir, "noop.js"));
    return path.dirname(req.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function copyPackageClosure(name, fromDir, target, seen) {
  const dir = packageDir(name, fromDir);
  if (!dir || seen.has(dir)) return;
  seen.add(dir);
  const relative = path.relative(root, dir);
  if (relative.startsWith("..")) return;
  const destination = path.join(target, relative);
  if (!fs.existsSync(path.join(destination, "package.json"))) copy(dir, destination);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    copyPackageClosure(dependency, dir, target, seen);
  }
}

/** Completes .next/standalone; returns its path (or null when the build made none). */
export function completeStandalone() {
  const target = path.join(root, ".next", "standalone");
  if (!fs.existsSync(path.join(target, "server.js"))) return null;
  if (fs.existsSync(path.join(root, "public"))) copy(path.join(root, "public"), path.join(target, "public"));
  copy(path.join(root, ".next", "static"), path.join(target, ".next", "static"));
  for (const file of SERVER_FILES) copy(path.join(root, file), path.join(target, file));
  const seen = new Set();
  for (const name of SERVER_PACKAGES) copyPackageClosure(name, root, target, seen);
  return target;
}
