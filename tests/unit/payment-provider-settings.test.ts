// The payment provider settings in lib/env.ts: defaults, and clear messages for bad values.
import { describe, expect, test } from "vitest";
import { parseEnv } from "@/lib/env";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/aq" };

describe("payment provider settings", () => {
  test("defaults: the real APIs, 30 s per call, demo delay 3 s", () => {
    const env = parseEnv(base);
    expect(env.YOOKASSA_API_URL).toBe("https://api.yookassa.ru/v3/");
    expect(env.STRIPE_API_URL).toBe("https://api.stripe.com");
    expect(env.PAYMENTS_PROVIDER_TIMEOUT_MS).toBe(30_000);
    expect(env.PAYMENTS_DEMO_DELAY_MS).toBe(3000);
    expect(env.PAYMENTS_DEMO).toBeUndefined();
  });

  test("YOOKASSA_WEBHOOK_IPS takes addresses and CIDR ranges, and names a bad entry", () => {
    expect(parseEnv({ ...base, YOOKASSA_WEBHOOK_IPS: "127.0.0.1, 10.0.0.0/8,::1, 2001:db8::/32" }).YOOKASSA_WEBHOOK_IPS).toContain("10.0.0.0/8");
    expect(() => parseEnv({ ...base, YOOKASSA_WEBHOOK_IPS: "127.0.0.1, yookassa.ru" })).toThrow(/YOOKASSA_WEBHOOK_IPS "yookassa.ru" is not an IP address/);
    expect(() => parseEnv({ ...base, YOOKASSA_WEBHOOK_IPS: "10.0.0.0/33" })).toThrow(/YOOKASSA_WEBHOOK_IPS/);
  });

  test("bad URLs, timeouts and demo switches are refused by name", () => {
    expect(() => parseEnv({ ...base, STRIPE_API_URL: "not a url" })).toThrow(/STRIPE_API_URL/);
    expect(() => parseEnv({ ...base, YOOKASSA_API_URL: "nope" })).toThrow(/YOOKASSA_API_URL/);
    expect(() => parseEnv({ ...base, PAYMENTS_PROVIDER_TIMEOUT_MS: "10" })).toThrow(/PAYMENTS_PROVIDER_TIMEOUT_MS/);
    expect(() => parseEnv({ ...base, PAYMENTS_DEMO: "yes please" })).toThrow(/PAYMENTS_DEMO/);
    expect(parseEnv({ ...base, STRIPE_API_URL: "http://127.0.0.1:12111" }).STRIPE_API_URL).toBe("http://127.0.0.1:12111");
  });
});

describe("paymentsDemoEnabled", () => {
  test("PAYMENTS_DEMO decides when set; unset → on only on the embedded database and in tests", async () => {
    const { paymentsDemoEnabled } = await import("@/lib/payments/providers/demo-mode");
    const on = (values: Record<string, string>) => paymentsDemoEnabled(parseEnv({ ...base, ...values }));
    expect(on({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), PAYMENTS_DEMO: "1" })).toBe(true);
    expect(on({ NODE_ENV: "test", PAYMENTS_DEMO: "0" })).toBe(false);
    expect(on({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AQ_EMBEDDED_DB: "1", PAYMENTS_DEMO: "0" })).toBe(false);
    expect(on({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) })).toBe(false);
    expect(on({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AQ_EMBEDDED_DB: "0" })).toBe(false);
    expect(on({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AQ_EMBEDDED_DB: "1" })).toBe(true);
    expect(on({ NODE_ENV: "development" })).toBe(false);
    expect(on({ NODE_ENV: "test" })).toBe(true);
  });
});
