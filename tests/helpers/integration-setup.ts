// Runs before every integration test file: a fresh database of its own, then DATABASE_URL points
// at it so lib/db.ts (and every service) uses it.
import { afterAll, inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase } from "./test-db";
import { disconnectDb } from "@/lib/db";

process.env.TEST_DATABASE_URL = inject("testDatabaseUrl");
const created = await createDatabaseFromTemplate(inject("templateDatabase"));
process.env.DATABASE_URL = created.url;
process.env.DATABASE_POOL_SIZE ??= "20";

afterAll(async () => {
  await disconnectDb();
  await dropDatabase(created.name);
});
