import { expect, test } from "vitest";
import { db } from "@/lib/db";

test("fresh database is migrated", async () => {
  expect(await db.user.count()).toBe(0);
});
