// The request-forgery guard of webhook URLs (lib/webhooks/url-guard.ts): which addresses are refused, and
// the URL rules that need no network. The integration test checks the same guard through the services.
import { describe, expect, test } from "vitest";
import { checkWebhookUrl, isBlockedAddress, parseWebhookUrl } from "@/lib/webhooks/url-guard";

const strict = { production: true, allowHttp: false, allowPrivate: false } as const;

describe("isBlockedAddress", () => {
  test.each([
    "127.0.0.1", "127.255.255.254", "10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "100.127.255.255",
    "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "198.18.0.1", "192.0.2.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "64:ff9b::a00:1", "2001:db8::1",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  test.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])("allows %s", (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe("parseWebhookUrl", () => {
  test("scheme, credentials, https in production", () => {
    expect(parseWebhookUrl("https://hooks.example/x", strict)).toMatchObject({ ok: true });
    expect(parseWebhookUrl("http://hooks.example/x", strict)).toEqual({ ok: false, reason: "httpsRequired" });
    expect(parseWebhookUrl("http://hooks.example/x", { ...strict, allowHttp: true })).toMatchObject({ ok: true });
    expect(parseWebhookUrl("http://hooks.example/x", { ...strict, production: false })).toMatchObject({ ok: true });
    expect(parseWebhookUrl("file:///etc/passwd", strict)).toEqual({ ok: false, reason: "scheme" });
    expect(parseWebhookUrl("javascript:alert(1)", strict)).toEqual({ ok: false, reason: "scheme" });
    expect(parseWebhookUrl("https://a:b@hooks.example/", strict)).toEqual({ ok: false, reason: "credentials" });
    expect(parseWebhookUrl("not a url", strict)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("checkWebhookUrl", () => {
  const lookup = async (host: string) => {
    if (host === "localhost.example") return [{ address: "::1", family: 6 as const }];
    if (host === "gone.example") throw new Error("ENOTFOUND");
    return [{ address: "93.184.216.34", family: 4 as const }];
  };

  test("every resolved address is checked; literals need no lookup; allowPrivate lifts the address rule only", async () => {
    expect(await checkWebhookUrl("https://localhost.example/", { ...strict, lookup })).toEqual({ ok: false, reason: "privateAddress", detail: "::1" });
    expect(await checkWebhookUrl("https://gone.example/", { ...strict, lookup })).toEqual({ ok: false, reason: "unresolvable" });
    expect(await checkWebhookUrl("https://[::1]:8443/", { ...strict, lookup })).toEqual({ ok: false, reason: "privateAddress", detail: "::1" });
    const ok = await checkWebhookUrl("https://hooks.example/x?y=1", { ...strict, lookup });
    expect(ok).toMatchObject({ ok: true, addresses: [{ address: "93.184.216.34", family: 4 }] });
    expect(await checkWebhookUrl("https://127.0.0.1/", { ...strict, allowPrivate: true, lookup })).toMatchObject({ ok: true });
    expect(await checkWebhookUrl("http://127.0.0.1/", { ...strict, allowPrivate: true, lookup })).toEqual({ ok: false, reason: "httpsRequired" });
  });
});
