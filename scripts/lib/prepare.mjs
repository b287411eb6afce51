// What npm start and npm run dev share: dependencies, Prisma client, database, migrations, the demo
// data (on the embedded database only), and running the Next server in the foreground.
import net from "node:net";
import path from "node:path";
import { appEnv, appPort, loadDotEnv } from "./app-env.mjs";
import { appDatabase, migrateDatabase, seedDatabase } from "./database.mjs";
import { ensureDependencies, ensurePrismaClient } from "./deps.mjs";
import { fail, log, root } from "./log.mjs";
import { serveForeground } from "./proc.mjs";

/**
 * Prepares everything the app needs before it starts. Returns the database ({ url, embedded, stop }),
 * the port and the environment for the Next process. With `prepareOnly` the port is not checked
 * (nothing will listen on it).
 *
 * Demo data (prisma/seed.ts: the demo organization and accounts with the known password demo12345)
 * goes only into the embedded database. A database given by DATABASE_URL never gets it from here: it
 * may be a production database (`npm run db:seed` adds the demo data on request, `npm run admin:create`
 * creates the first platform admin).
 */
export async function prepareApp({ dev, prepareOnly = false }) {
  await ensureDependencies();
  loadDotEnv({ dev });
  let port;
  try {
    port = appPort();
  } catch (error) {
    fail(error.message);
  }
  if (!prepareOnly && (await isListening(port))) fail(`port ${port} is already in use (another npm start / npm run dev?). Set PORT to use another one.`);
  await ensurePrismaClient();
  const database = await appDatabase();
  // AQ_EMBEDDED_DB tells the app it runs on the embedded database (the demo payment provider is on by
  // default only there: lib/payments/providers/demo-mode.ts).
  const env = { ...appEnv({ databaseUrl: database.url, port }), AQ_EMBEDDED_DB: database.embedded ? "1" : "0" };
  await migrateDatabase(database.url);
  if (database.embedded) {
    await seedDatabase(env);
  } else {
    log("no demo data on a database given by DATABASE_URL (npm run db:seed adds it on request; npm run admin:create -- --email <you> creates a platform admin)");
  }
  return { database, env, port };
}

/** True when something accepts TCP connections on localhost:port. */
export function isListening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "localhost" });
    socket.setTimeout(1000);
    socket.once("connect", () => finish(true));
    socket.once("timeout", () => finish(false));
    socket.once("error", () => finish(false));
    function finish(result) {
      socket.destroy();
      resolve(result);
    }
  });
}

/** Resolves when the server accepts connections on `port`, or with false when `exited` settles first. */
export async function waitUntilListening(port, exited) {
  let gone = false;
  exited.then(() => (gone = true));
  while (!gone) {
    if (await isListening(port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Runs the server in the foreground (the PID held is the server itself, not a wrapper): "start" is the
 * production supervisor scripts/cluster.mjs (WEB_CONCURRENCY web processes + one worker, each
 * scripts/server.mjs; it prints the ready line itself once every process is up) — or, with
 * SERVER_ROLE set (all / web / worker), one scripts/server.mjs process in that role — and "dev" is
 * `next dev`. Stops the embedded database after the server exits. When the embedded database fails for
 * good while the server runs, the server is stopped with an error.
 */
export async function serveNext(command, { database, env, port, note = "" }) {
  const single = command === "start" && !!env.SERVER_ROLE?.trim();
  const args =
    command === "start"
      ? [path.join(root, "scripts", single ? "server.mjs" : "cluster.mjs"), "--port", String(port)]
      : [path.join(root, "node_modules", "next", "dist", "bin", "next"), command, "--port", String(port)];
  let serverExited = false;
  const server = serveForeground(process.execPath, args, {
    env,
    cleanup: async () => {
      serverExited = true;
      if (!database.embedded) return;
      log("stopping the embedded PostgreSQL…");
      await database.stop();
    },
  });
  database.exited?.then((code) => {
    if (serverExited) return;
    console.error(`[aqstream] the embedded PostgreSQL stopped unexpectedly (exit code ${code}); stopping the server. Start it again with npm start.`);
    server.fail(1);
  });
  if (command === "start" && !single) return; // the supervisor says when every process is ready
  if (await waitUntilListening(port, server.exited)) log(`ready on http://localhost:${port}${note}`);
}
