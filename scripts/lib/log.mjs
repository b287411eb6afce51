// Progress lines of the project scripts: one prefix, so they stand out between tool output.
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

export function log(message) {
  console.log(`[aqstream] ${message}`);
}

/** Prints the problem and ends the process with a non-zero code. */
export function fail(message, code = 1) {
  console.error(`[aqstream] ${message}`);
  process.exit(code);
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
