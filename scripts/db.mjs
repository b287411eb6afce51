#!/usr/bin/env node
// npm run db:migrate — apply pending migrations (prisma migrate deploy).
// npm run db:seed    — add the demo data (prisma/seed.ts; idempotent): the demo organization and the demo
//                      accounts with the known password demo12345. On request only: npm start adds it by
//                      itself only to the embedded database, never to a DATABASE_URL.
// The database: DATABASE_URL (also from .env), else the embedded one, through the running npm start /
// npm run dev when there is one, or started for the command and stopped after it.
import { loadDotEnv } from "./lib/app-env.mjs";
import { describeUrl, migrateDatabase, seedDatabase, toolDatabase } from "./lib/database.mjs";
import { ensureDependencies, ensurePrismaClient } from "./lib/deps.mjs";
import { fail, log } from "./lib/log.mjs";

const command = process.argv[2];
if (command !== "migrate" && command !== "seed") fail("usage: node scripts/db.mjs migrate|seed (npm run db:migrate / npm run db:seed)", 2);

await ensureDependencies();
if (command === "seed") await ensurePrismaClient();
loadDotEnv({ dev: false });
let database;
try {
  database = await toolDatabase();
} catch (error) {
  fail(error.message);
}
try {
  await migrateDatabase(database.url);
  if (command === "migrate") log(`migrations applied (${describeUrl(database.url)})`);
  else await seedDatabase({ ...process.env, DATABASE_URL: database.url });
} finally {
  await database.stop();
}
