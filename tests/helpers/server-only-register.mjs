// `node --import ./tests/helpers/server-only-register.mjs …`: a test child process (a job runner) loads
// the app's server modules the way vitest does — "server-only" resolves to an empty module (vitest's
// alias: tests/helpers/server-only-stub.ts) — without the react-server condition, which would hide
// react-dom/server from the email renderer.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      if (specifier === "server-only") return { url: "data:text/javascript,export {};", shortCircuit: true };
      return next(specifier, context);
    }`),
  import.meta.url,
);
