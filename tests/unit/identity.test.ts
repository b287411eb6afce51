import { describe, expect, test } from "vitest";
import { safeCallbackUrl, signInUrlFor } from "@/lib/identity/callback-url";
import { isSessionCookieName } from "@/lib/identity/constants";
import { emailSchema, fieldErrorsOf, newPasswordSchema, signInSchema, signUpSchema } from "@/lib/validation/identity";

const firstError = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe("emailSchema", () => {
  test("trims and lower-cases", () => {
    expect(emailSchema.parse("  Ivan.Petrov@Example.COM \t")).toBe("ivan.petrov@example.com");
  });
  test.each([
    ["", "validation.required"],
    ["   ", "validation.required"],
    ["not-an-email", "validation.emailInvalid"],
    ["a@b", "validation.emailInvalid"],
    ["two@@example.com", "validation.emailInvalid"],
    [`${"a".repeat(250)}@example.com`, "validation.emailTooLong"],
  ])("rejects %j with %s", (value, key) => {
    expect(firstError(emailSchema.safeParse(value))).toBe(key);
  });
  test("accepts exactly 255 characters", () => {
    const email = `${"a".repeat(243)}@example.com`;
    expect(email).toHaveLength(255);
    expect(emailSchema.safeParse(email).success).toBe(true);
  });
});

describe("newPasswordSchema", () => {
  test.each(["password1", "ПАРОЛЬ12", "пароль12", "ёжик1234", "Ab345678", "x".repeat(99) + "1"])("accepts %j", (value) => {
    expect(newPasswordSchema.safeParse(value).success).toBe(true);
  });
  test.each([
    ["", "validation.required"],
    ["abc123", "validation.passwordTooShort"],
    ["a1".repeat(50) + "x", "validation.passwordTooLong"],
    ["12345678", "validation.passwordWeak"],
    ["abcdefgh", "validation.passwordWeak"],
    ["абвгдежз", "validation.passwordWeak"],
    ["!@#$%^&*(1", "validation.passwordWeak"],
    ["١٢٣٤٥٦٧٨a", "validation.passwordWeak"], // Arabic-Indic digits are not the digits 0–9
    ["ßßßßßßß1", "validation.passwordWeak"], // a letter, but neither Latin A–Z nor Cyrillic
  ])("rejects %j with %s", (value, key) => {
    expect(firstError(newPasswordSchema.safeParse(value))).toBe(key);
  });
  test("is not trimmed", () => {
    expect(newPasswordSchema.parse(" pass 123 ")).toBe(" pass 123 ");
  });
});

describe("signUpSchema", () => {
  test("normalises and keeps an empty last name optional", () => {
    expect(signUpSchema.parse({ email: " A@B.RU ", password: "пароль12", firstName: "  Анна ", lastName: " " })).toEqual({
      email: "a@b.ru",
      password: "пароль12",
      firstName: "Анна",
      lastName: "",
    });
    expect(signUpSchema.parse({ email: "a@b.ru", password: "пароль12", firstName: "Анна" }).lastName).toBeUndefined();
  });
  test("field errors are message keys, one per field", () => {
    const result = signUpSchema.safeParse({ email: "x", password: "1", firstName: " ", lastName: "л".repeat(101) });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!)).toEqual({
      email: "validation.emailInvalid",
      password: "validation.passwordTooShort",
      firstName: "validation.firstNameRequired",
      lastName: "validation.lastNameTooLong",
    });
  });
  test("first name of 100 characters is fine, 101 is not", () => {
    const base = { email: "a@b.ru", password: "пароль12" };
    expect(signUpSchema.safeParse({ ...base, firstName: "я".repeat(100) }).success).toBe(true);
    expect(fieldErrorsOf(signUpSchema.safeParse({ ...base, firstName: "я".repeat(101) }).error!)).toEqual({
      firstName: "validation.firstNameTooLong",
    });
  });
});

describe("signInSchema", () => {
  test("normalises the email and does not apply the new-password rules", () => {
    expect(signInSchema.parse({ email: " USER@Example.com", password: "x" })).toEqual({ email: "user@example.com", password: "x" });
  });
  test("requires both fields", () => {
    expect(fieldErrorsOf(signInSchema.safeParse({ email: "", password: "" }).error!)).toEqual({
      email: "validation.required",
      password: "validation.required",
    });
  });
});

describe("safeCallbackUrl", () => {
  test.each([
    ["/dashboard", "/dashboard"],
    ["/dashboard/events?page=2#top", "/dashboard/events?page=2#top"],
    ["/events/%D0%BC%D0%B8%D1%82%D0%B0%D0%BF", "/events/%D0%BC%D0%B8%D1%82%D0%B0%D0%BF"],
    ["/a/../dashboard", "/dashboard"],
  ])("keeps the same-origin path %j", (value, expected) => {
    expect(safeCallbackUrl(value)).toBe(expected);
  });
  test.each([
    undefined,
    null,
    42,
    "",
    "dashboard",
    "https://evil.example/steal",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example".replace("%5C", "\\"),
    "javascript:alert(1)",
    " //evil.example",
    "/\tevil",
    "/login?callbackUrl=/dashboard",
    "/register",
    "/api/auth/signout",
  ])("falls back for %j", (value) => {
    expect(safeCallbackUrl(value)).toBe("/dashboard");
    expect(safeCallbackUrl(value, "/")).toBe("/");
  });
  test("signInUrlFor builds a /login link with an encoded, sanitised callbackUrl", () => {
    expect(signInUrlFor("/dashboard/events?x=1")).toBe("/login?callbackUrl=%2Fdashboard%2Fevents%3Fx%3D1");
    expect(signInUrlFor("//evil.example")).toBe("/login?callbackUrl=%2Fdashboard");
  });
});

describe("session cookie names (proxy's optimistic check)", () => {
  test.each(["authjs.session-token", "__Secure-authjs.session-token", "authjs.session-token.0", "__Secure-authjs.session-token.1"])(
    "%s counts",
    (name) => expect(isSessionCookieName(name)).toBe(true),
  );
  test.each(["authjs.csrf-token", "next-auth.session-token", "locale", "authjs.session-tokenx"])("%s does not", (name) =>
    expect(isSessionCookieName(name)).toBe(false),
  );
});
