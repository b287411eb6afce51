// The per-token API limits (lib/http/limits.ts): 600 reads / 120 writes a minute, counted under the
// subject `token`; API_RATE_LIMIT_READ / API_RATE_LIMIT_WRITE raise them (read once, at load); a value
// that is not a positive integer is ignored.
import { afterEach, describe, expect, test, vi } from "vitest";

const load = async () => {
  vi.resetModules();
  return import("@/lib/http/limits");
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("api.read / api.write", () => {
  test("defaults", async () => {
    vi.stubEnv("API_RATE_LIMIT_READ", "");
    vi.stubEnv("API_RATE_LIMIT_WRITE", "");
    const { limitRule, limitKey } = await load();
    expect(limitRule("api.read", "token")).toEqual({ limit: 600, windowSeconds: 60 });
    expect(limitRule("api.write", "token")).toEqual({ limit: 120, windowSeconds: 60 });
    expect(limitKey("api.read", "token", "t-1")).toBe("api.read:token:t-1");
  });

  test("the environment raises them; garbage is ignored", async () => {
    vi.stubEnv("API_RATE_LIMIT_READ", "100000");
    vi.stubEnv("API_RATE_LIMIT_WRITE", "-5");
    const { limitRule } = await load();
    expect(limitRule("api.read", "token").limit).toBe(100000);
    expect(limitRule("api.write", "token").limit).toBe(120);
  });
});
