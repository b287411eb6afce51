// Pure logic of the account area: schemas, email-link tokens, mail rendering, the dev mailbox's link
// splitting, device names, relative times and the per-IP rate-limit exemption.
import { describe, expect, test } from "vitest";
import { describeUserAgent } from "@/components/account/user-agent";
import { relativeTime } from "@/lib/i18n/format/relative";
import { isRateLimitExemptIp } from "@/lib/http/client-address";
import { EMAIL_TOKEN_BYTES, generateEmailToken, hashEmailToken, isEmailToken } from "@/lib/identity/verification";
import { en, ru } from "@/lib/i18n/messages";
import { smtpUrlWithDefaults } from "@/lib/mail/deliver";
import { linkify, renderMail } from "@/lib/mail/render";
import {
  changePasswordSchema,
  confirmsDeletion,
  deleteAccountSchemaFor,
  emailTokenSchema,
  forgotPasswordSchema,
  localeSchema,
  profileSchema,
  resetPasswordSchema,
} from "@/lib/validation/account";
import { fieldErrorsOf } from "@/lib/validation/identity";

const errorsOf = (result: { success: boolean; error?: Parameters<typeof fieldErrorsOf>[0] }) => (result.error ? fieldErrorsOf(result.error) : {});
const TOKEN = "0123456789abcdef".repeat(4);

describe("email-link tokens", () => {
  test("32 random bytes as 64 lower-case hex characters, never repeated", () => {
    expect(EMAIL_TOKEN_BYTES).toBe(32);
    const tokens = new Set(Array.from({ length: 200 }, () => generateEmailToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(isEmailToken(token)).toBe(true);
    }
  });

  test("only the SHA-256 hex is stored", () => {
    expect(hashEmailToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashEmailToken(TOKEN)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEmailToken(TOKEN)).not.toBe(TOKEN);
  });

  test.each([undefined, null, 42, "", "abc", TOKEN.toUpperCase(), `${TOKEN}0`, TOKEN.slice(1), `${TOKEN.slice(1)}g`, ` ${TOKEN}`])(
    "rejects %j",
    (value) => {
      expect(isEmailToken(value)).toBe(false);
      expect(emailTokenSchema.safeParse(value).success).toBe(false);
    },
  );
});

describe("schemas", () => {
  test("forgot password: the email is normalised", () => {
    expect(forgotPasswordSchema.parse({ email: "  Anna@Example.COM " })).toEqual({ email: "anna@example.com" });
    expect(errorsOf(forgotPasswordSchema.safeParse({ email: "nope" }))).toEqual({ email: "validation.emailInvalid" });
  });

  test("reset password: token, password rules and the repeated password", () => {
    expect(resetPasswordSchema.safeParse({ token: TOKEN, password: "Пароль2026", passwordConfirm: "Пароль2026" }).success).toBe(true);
    expect(errorsOf(resetPasswordSchema.safeParse({ token: TOKEN, password: "Пароль2026", passwordConfirm: "Пароль2027" }))).toEqual({
      passwordConfirm: "account.validation.passwordsDiffer",
    });
    expect(errorsOf(resetPasswordSchema.safeParse({ token: "x", password: "short", passwordConfirm: "" }))).toEqual({
      token: "account.validation.tokenInvalid",
      password: "validation.passwordTooShort",
      passwordConfirm: "validation.required",
    });
    expect(errorsOf(resetPasswordSchema.safeParse({ token: TOKEN, password: "12345678", passwordConfirm: "12345678" }))).toEqual({
      password: "validation.passwordWeak",
    });
  });

  test("change password: current required, new must follow the rules, match and differ", () => {
    const ok = { currentPassword: "old-one1", newPassword: "Новый2026", newPasswordConfirm: "Новый2026" };
    expect(changePasswordSchema.safeParse(ok).success).toBe(true);
    expect(errorsOf(changePasswordSchema.safeParse({ ...ok, currentPassword: "" }))).toEqual({ currentPassword: "validation.required" });
    expect(errorsOf(changePasswordSchema.safeParse({ ...ok, newPasswordConfirm: "x" }))).toEqual({
      newPasswordConfirm: "account.validation.passwordsDiffer",
    });
    expect(errorsOf(changePasswordSchema.safeParse({ currentPassword: "Same2026", newPassword: "Same2026", newPasswordConfirm: "Same2026" }))).toEqual({
      newPassword: "account.validation.passwordUnchanged",
    });
  });

  test("profile and language", () => {
    expect(profileSchema.parse({ firstName: "  Иван ", lastName: " " })).toEqual({ firstName: "Иван", lastName: "" });
    expect(errorsOf(profileSchema.safeParse({ firstName: "", lastName: "x".repeat(101) }))).toEqual({
      firstName: "validation.firstNameRequired",
      lastName: "validation.lastNameTooLong",
    });
    expect(localeSchema.safeParse({ locale: "en" }).success).toBe(true);
    expect(localeSchema.safeParse({ locale: "de" }).success).toBe(false);
  });

  test("deletion is confirmed by the account's email (any case) or DELETE", () => {
    expect(confirmsDeletion(" Anna@Example.com ", "anna@example.com")).toBe(true);
    expect(confirmsDeletion("DELETE", null)).toBe(true);
    expect(confirmsDeletion("delete", "anna@example.com")).toBe(true);
    expect(confirmsDeletion("anna@example.org", "anna@example.com")).toBe(false);
    expect(confirmsDeletion("", null)).toBe(false);
    const schema = deleteAccountSchemaFor("anna@example.com");
    expect(schema.safeParse({ confirmation: "anna@example.com" }).success).toBe(true);
    expect(errorsOf(schema.safeParse({ confirmation: "yes" }))).toEqual({ confirmation: "account.validation.confirmationMismatch" });
    expect(errorsOf(schema.safeParse({ confirmation: "  " }))).toEqual({ confirmation: "validation.required" });
  });
});

describe("renderMail", () => {
  const content = {
    greeting: "Здравствуйте, <b>Анна</b> & Co!",
    paragraphs: ["Подтвердите email."],
    action: { label: "Подтвердить", url: `https://aq.example/verify-email?token=${TOKEN}&x="y"` },
    footer: ["Ссылка действует 24 часа."],
    signature: "— AqStream",
  };

  test("text has every part and the bare link", () => {
    const { text } = renderMail(content, { lang: "ru" });
    expect(text).toContain("Здравствуйте, <b>Анна</b> & Co!");
    expect(text).toContain(`Подтвердить:\nhttps://aq.example/verify-email?token=${TOKEN}`);
    expect(text.trim().endsWith("— AqStream")).toBe(true);
  });

  test("HTML escapes every value", () => {
    const { html } = renderMail(content, { lang: "ru" });
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain("Здравствуйте, &lt;b&gt;Анна&lt;/b&gt; &amp; Co!");
    expect(html).not.toContain("<b>Анна</b>");
    expect(html).toContain(`href="https://aq.example/verify-email?token=${TOKEN}&amp;x=&quot;y&quot;"`);
  });

  test("refuses a non-http action link", () => {
    expect(() => renderMail({ ...content, action: { label: "x", url: "javascript:alert(1)" } }, { lang: "en" })).toThrow(/http/);
  });
});

describe("smtpUrlWithDefaults", () => {
  test("adds the timeouts nodemailer reads from the URL, keeping what SMTP_URL sets", () => {
    const url = new URL(smtpUrlWithDefaults("smtps://user%40x:p%40ss@mail.example.com:465?socketTimeout=5000"));
    expect(url.protocol).toBe("smtps:");
    expect(url.username).toBe("user%40x");
    expect(url.password).toBe("p%40ss");
    expect(url.searchParams.get("socketTimeout")).toBe("5000");
    expect(url.searchParams.get("connectionTimeout")).toBe("15000");
    expect(url.searchParams.get("greetingTimeout")).toBe("15000");
    expect(url.searchParams.get("pool")).toBe("true"); // connections reused for organizer messages
  });
});

describe("linkify", () => {
  test("splits text into plain parts and http(s) links, leaving final punctuation out", () => {
    expect(linkify("Open https://a.example/x?token=1. Or http://b.example, later")).toEqual([
      { text: "Open " },
      { text: "https://a.example/x?token=1", href: "https://a.example/x?token=1" },
      { text: ". Or " },
      { text: "http://b.example", href: "http://b.example" },
      { text: ", later" },
    ]);
    expect(linkify("no links")).toEqual([{ text: "no links" }]);
    expect(linkify("javascript:alert(1)")).toEqual([{ text: "javascript:alert(1)" }]);
  });
});

describe("describeUserAgent", () => {
  test.each([
    ["Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36", "Chrome", "Android"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0", "Firefox", "Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0", "Edge", "macOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 YaBrowser/24.10 Safari/537.36", "Yandex Browser", "Windows"],
  ])("%s", (ua, browser, os) => {
    expect(describeUserAgent(ua)).toEqual({ browser, os });
  });
  test("unknown or missing agents", () => {
    expect(describeUserAgent(null)).toBeNull();
    expect(describeUserAgent("curl/8.0")).toBeNull();
  });
});

describe("relativeTime", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  test("in both languages", () => {
    expect(relativeTime(new Date(now.getTime() - 10_000), "en", now)).toBe("now");
    expect(relativeTime(new Date(now.getTime() - 5 * 60_000), "en", now)).toBe("5 minutes ago");
    expect(relativeTime(new Date(now.getTime() - 3 * 3_600_000), "ru", now)).toBe("3 часа назад");
    expect(relativeTime(new Date(now.getTime() - 2 * 86_400_000), "en", now)).toBe("2 days ago");
  });
});

describe("isRateLimitExemptIp", () => {
  test("explicit only: unset, empty or none exempts nobody — not loopback, not the fallback buckets", () => {
    for (const list of [undefined, "", "  ", "none", "NONE"]) {
      for (const ip of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "unknown", "dev-local", "unresolved", "10.0.0.1", "2001:db8::1", "", null, undefined]) {
        expect(isRateLimitExemptIp(ip, list)).toBe(false);
      }
    }
  });
  test("a list exempts exactly its addresses, written as the server writes them", () => {
    expect(isRateLimitExemptIp("10.2.2.2", " 10.1.1.1 , 10.2.2.2")).toBe(true);
    expect(isRateLimitExemptIp("127.0.0.1", " 10.1.1.1 , 10.2.2.2")).toBe(false);
    expect(isRateLimitExemptIp("127.0.0.1", "127.0.0.1,::1")).toBe(true);
    expect(isRateLimitExemptIp("::1", "127.0.0.1,::1")).toBe(true);
    expect(isRateLimitExemptIp("127.0.0.1", "::ffff:127.0.0.1")).toBe(true);
    expect(isRateLimitExemptIp("2001:db8::1", "2001:DB8::1")).toBe(true);
    expect(isRateLimitExemptIp("dev-local", "dev-local")).toBe(true);
    expect(isRateLimitExemptIp("10.2.2.2", "10.2.2.0/24")).toBe(false);
  });
});

describe("account texts", () => {
  test("every message key the services raise exists in both languages", () => {
    const keys = [
      "alreadyVerified",
      "resendLimited",
      "signInLimited",
      "signUpLimited",
      "resetLimited",
      "passwordChangeLimited",
      "noPassword",
      "ownerOfOrganizations",
      "resetLinkUsed",
      "resetLinkExpired",
      "resetLinkInvalid",
    ] as const;
    for (const key of keys) {
      expect(ru.account.errors[key]).toBeTruthy();
      expect(en.account.errors[key]).toBeTruthy();
    }
    expect(Object.keys(en.account.mail).sort()).toEqual(Object.keys(ru.account.mail).sort());
  });
});
