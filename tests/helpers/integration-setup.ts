// Runs before every integration test file: a fresh database of its own, then DATABASE_URL points
// at it so lib/db.ts (and every service) uses it.
import { afterAll, inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase, startPgliteDatabase } from "./test-db";
import { disconnectDb } from "@/lib/db";

let release: () => Promise<void>;
if (inject("testDatabaseMode") === "pglite") {
  const embedded = await startPgliteDatabase(inject("templateDatabase"));
  process.env.DATABASE_URL = embedded.url;
  release = embedded.stop;
} else {
  const created = await createDatabaseFromTemplate(inject("templateDatabase"));
  process.env.DATABASE_URL = created.url;
  release = () => dropDatabase(created.name);
}
process.env.DATABASE_POOL_SIZE ??= "20";

afterAll(async () => {
  await disconnectDb();
  await release();
});
