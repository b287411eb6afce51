import { describe, expect, it } from "vitest";
import { TtlCache } from "@/lib/public/ttl-cache";

describe("TtlCache", () => {
  it("keeps a value for its time to live, shares concurrent loads, forgets failures", async () => {
    let now = 1_000;
    const cache = new TtlCache<number>(5_000, 3, () => now);
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await Promise.all([cache.get("a", load), cache.get("a", load)])).toEqual([1, 1]);
    now += 4_999;
    expect(await cache.get("a", load)).toBe(1);
    now += 1;
    expect(await cache.get("a", load)).toBe(2);

    await expect(cache.get("b", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await Promise.resolve();
    expect(await cache.get("b", load)).toBe(3);
  });

  it("never holds more than maxEntries", async () => {
    const cache = new TtlCache<string>(60_000, 3, () => 0);
    for (const key of ["a", "b", "c", "d", "e"]) await cache.get(key, async () => key);
    expect(cache.size).toBe(3);
    expect(await cache.get("e", async () => "new")).toBe("e");
    expect(await cache.get("a", async () => "reloaded")).toBe("reloaded");
  });
});
