import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/aq" };

describe("environment validation", () => {
  test("development works without AUTH_SECRET", () => {
    expect(parseEnv({ ...base, NODE_ENV: "development" }).AUTH_SECRET).toBeUndefined();
  });

  test("production refuses to start without AUTH_SECRET and says why", () => {
    expect(() => parseEnv({ ...base, NODE_ENV: "production" })).toThrowError(EnvError);
    try {
      parseEnv({ ...base, NODE_ENV: "production" });
    } catch (e) {
      expect((e as EnvError).message).toMatch(/AUTH_SECRET is required in production/);
    }
  });

  test("production refuses a short AUTH_SECRET", () => {
    expect(() => parseEnv({ ...base, NODE_ENV: "production", AUTH_SECRET: "short" })).toThrow(/at least 32 characters/);
  });

  test("names every missing or invalid variable at once", () => {
    try {
      parseEnv({ NODE_ENV: "production", APP_URL: "not a url" });
      expect.unreachable();
    } catch (e) {
      const problems = (e as EnvError).problems.join("\n");
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/APP_URL/);
      expect(problems).toMatch(/AUTH_SECRET/);
    }
  });

  test("DATABASE_URL must be a PostgreSQL URL", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x@localhost/db" })).toThrow(/postgresql/);
  });
});
