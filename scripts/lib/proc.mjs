// Child processes: run a tool to completion, or hold a long-running server and pass signals on.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./log.mjs";

/** Path of an installed package's bin (node_modules/.bin/<name>). */
export function bin(name) {
  return path.join(root, "node_modules", ".bin", name);
}

/** Runs a command with inherited stdio; resolves with its exit code (signals count as failure). */
export function run(command, args, { env = process.env, cwd = root, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    if (quiet) {
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
    }
    const onSignal = (signal) => child.kill(signal);
    process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
    child.on("error", (error) => {
      output += `${error.message}\n`;
      finish(127);
    });
    child.on("exit", (code) => finish(code ?? 1)); // killed by a signal: failure
    function finish(code) {
      process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
      // A quiet command shows its output only when it failed.
      if (quiet && code !== 0) process.stderr.write(output);
      resolve(code);
    }
  });
}

/** Runs a command and ends this process if it fails. */
export async function runOrExit(command, args, options = {}) {
  const code = await run(command, args, options);
  if (code !== 0) {
    console.error(`[aqstream] ${path.basename(command)} ${args.join(" ")} failed (exit code ${code})`);
    process.exit(code || 1);
  }
}

/**
 * Starts a long-running server (next start / next dev) in the foreground. SIGINT/SIGTERM are passed on
 * to it; when it exits, `cleanup` runs (stops the embedded database) and this process exits with its code.
 */
export function serveForeground(command, args, { env, cleanup }) {
  let failure = null;
  // A Node server gets parent-watch.mjs preloaded: it stops when this process is killed outright.
  const preload = command === process.execPath ? ["--import", pathToFileURL(path.join(root, "scripts", "lib", "parent-watch.mjs")).href] : [];
  const child = spawn(command, [...preload, ...args], { cwd: root, env, stdio: "inherit" });
  let forwarded = 0;
  const forward = (signal) => {
    forwarded++;
    if (forwarded > 2) child.kill("SIGKILL"); // a third Ctrl-C means "now"
    else child.kill(signal);
  };
  process.on("SIGINT", forward).on("SIGTERM", forward);
  const exited = new Promise((resolve) => {
    child.on("error", (error) => {
      console.error(`[aqstream] could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));
  });
  exited.then(async (code) => {
    await cleanup();
    process.exit(failure ?? code);
  });
  /** Ends the server from here with a failure exit code (e.g. the embedded database failed for good). */
  const fail = (code = 1) => {
    failure = code;
    child.kill("SIGTERM");
  };
  return { child, exited, fail };
}

/** Parent pid and command line of a process (Linux /proc), or null where that cannot be read. */
function processInfo(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return { ppid, cmd };
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/**
 * Ends this script like a SIGTERM when what started it goes away. `npm start` runs us through `sh -c`:
 * when npm is killed, the shell lives on without passing anything on, so the shell's parent (npm) is
 * watched as well; otherwise the server (and the embedded database) would keep running as orphans.
 */
export function exitWithParent() {
  const parent = process.ppid;
  const watched = [];
  const info = processInfo(parent);
  if (info && /(^|\/)(sh|bash|dash|zsh)$/.test(info.cmd[0] ?? "") && info.cmd[1] === "-c" && info.ppid > 1) watched.push(info.ppid);
  const timer = setInterval(() => {
    if (process.ppid !== parent || watched.some((pid) => !isAlive(pid))) {
      clearInterval(timer);
      process.kill(process.pid, "SIGTERM");
    }
  }, 1000);
  timer.unref();
}
