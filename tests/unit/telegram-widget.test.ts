import { createHash, createHmac } from "node:crypto";
import { describe, expect, test, vi } from "vitest";

// The pure check needs none of the delivery pipeline behind notify().
vi.mock("@/lib/notifications/notify", () => ({ notify: vi.fn() }));

import { checkTelegramWidgetData, describeUserAgent } from "@/lib/identity/telegram-auth";

const BOT_TOKEN = "123456789:TEST-token_for-unit-tests";
const NOW = new Date("2027-03-01T12:00:00Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);

/** Signs a payload exactly as Telegram does (https://core.telegram.org/widgets/login). */
function sign(fields: Record<string, string | number>, token = BOT_TOKEN): Record<string, string | number> {
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
  const key = createHash("sha256").update(token).digest();
  return { ...fields, hash: createHmac("sha256", key).update(dataCheckString).digest("hex") };
}

const base = {
  id: 987654321,
  first_name: "Иван",
  last_name: "Петров",
  username: "ivan_p",
  photo_url: "https://t.me/i/userpic/320/ivan.jpg",
  auth_date: nowSeconds - 60,
};

describe("Telegram Login Widget check", () => {
  test("a payload signed with the bot token is valid and yields the profile", () => {
    const result = checkTelegramWidgetData(sign(base), { botToken: BOT_TOKEN, now: NOW });
    expect(result).toMatchObject({
      ok: true,
      profile: { id: "987654321", firstName: "Иван", lastName: "Петров", username: "ivan_p", photoUrl: base.photo_url },
    });
    if (result.ok) expect(result.authDate.getTime()).toBe(base.auth_date * 1000);
  });

  test("string values (as a form posts them) verify the same", () => {
    const signed = sign(base);
    const asStrings = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, String(v)]));
    expect(checkTelegramWidgetData(asStrings, { botToken: BOT_TOKEN, now: NOW }).ok).toBe(true);
  });

  test("optional fields may be absent", () => {
    const result = checkTelegramWidgetData(sign({ id: 42, first_name: "A", auth_date: nowSeconds }), { botToken: BOT_TOKEN, now: NOW });
    expect(result).toMatchObject({ ok: true, profile: { id: "42", lastName: null, username: null, photoUrl: null } });
  });

  test.each([
    ["id", 111],
    ["first_name", "Мallory"],
    ["username", "someone_else"],
    ["photo_url", "https://evil.example/x.jpg"],
    ["auth_date", nowSeconds],
  ])("a forged %s is refused", (field, value) => {
    const forged = { ...sign(base), [field]: value };
    expect(checkTelegramWidgetData(forged, { botToken: BOT_TOKEN, now: NOW })).toEqual({ ok: false, reason: "bad_hash" });
  });

  test("an added field is refused (it is part of the data-check-string)", () => {
    const forged = { ...sign(base), is_admin: "true" };
    expect(checkTelegramWidgetData(forged, { botToken: BOT_TOKEN, now: NOW })).toEqual({ ok: false, reason: "bad_hash" });
  });

  test("a payload signed with another bot's token is refused", () => {
    const other = sign(base, "999:another-bot");
    expect(checkTelegramWidgetData(other, { botToken: BOT_TOKEN, now: NOW })).toEqual({ ok: false, reason: "bad_hash" });
  });

  test("expired: older than one hour", () => {
    const old = sign({ ...base, auth_date: nowSeconds - 3601 });
    expect(checkTelegramWidgetData(old, { botToken: BOT_TOKEN, now: NOW })).toEqual({ ok: false, reason: "expired" });
    const edge = sign({ ...base, auth_date: nowSeconds - 3600 });
    expect(checkTelegramWidgetData(edge, { botToken: BOT_TOKEN, now: NOW }).ok).toBe(true);
  });

  test("future: more than 60 s ahead is refused, within the skew is accepted", () => {
    const ahead = sign({ ...base, auth_date: nowSeconds + 61 });
    expect(checkTelegramWidgetData(ahead, { botToken: BOT_TOKEN, now: NOW })).toEqual({ ok: false, reason: "future" });
    const skew = sign({ ...base, auth_date: nowSeconds + 60 });
    expect(checkTelegramWidgetData(skew, { botToken: BOT_TOKEN, now: NOW }).ok).toBe(true);
  });

  test.each([
    ["no hash", (() => { const { hash: _h, ...rest } = sign(base); return rest; })()],
    ["short hash", { ...sign(base), hash: "abc" }],
    ["non-hex hash", { ...sign(base), hash: "z".repeat(64) }],
    ["no id", (() => { const { id: _i, ...rest } = base; return sign(rest); })()],
    ["no auth_date", (() => { const { auth_date: _a, ...rest } = base; return sign(rest); })()],
    ["object value", { ...sign(base), first_name: { nested: true } }],
  ])("malformed: %s", (_label, data) => {
    expect(checkTelegramWidgetData(data as Record<string, unknown>, { botToken: BOT_TOKEN, now: NOW })).toEqual({ ok: false, reason: "malformed" });
  });

  test("a non-https photo_url is dropped, not trusted", () => {
    const result = checkTelegramWidgetData(sign({ ...base, photo_url: "javascript:alert(1)" }), { botToken: BOT_TOKEN, now: NOW });
    expect(result).toMatchObject({ ok: true, profile: { photoUrl: null } });
  });
});

describe("device description shown in the bot", () => {
  test.each([
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36", "Chrome, Windows"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari, iOS"],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox, Linux"],
    [null, null],
  ])("%s → %s", (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });
});
