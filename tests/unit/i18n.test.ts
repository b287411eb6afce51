import { describe, expect, test } from "vitest";
import { en, ru } from "@/lib/i18n/messages";
import { createTranslator, interpolate, messageKeys } from "@/lib/i18n/translate";
import { fromDbLocale, isLocale } from "@/lib/i18n/config";
import { signInSchema, signUpSchema } from "@/lib/validation/identity";

describe("catalogues", () => {
  test("en and ru have exactly the same keys", () => {
    expect(messageKeys(en)).toEqual(messageKeys(ru));
  });
  test("no text is empty, and both use the same placeholders per key", () => {
    const t = { ru: createTranslator(ru), en: createTranslator(en) };
    for (const key of messageKeys(ru)) {
      const r = t.ru.dynamic(key);
      const e = t.en.dynamic(key);
      expect(r.trim(), key).not.toBe("");
      expect(e.trim(), key).not.toBe("");
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(e), key).toEqual(placeholders(r));
    }
  });
  test("every message key a schema can emit exists in the catalogue", () => {
    const t = createTranslator(ru);
    const keys = new Set<string>();
    const samples: unknown[] = [
      {},
      { email: "", password: "", firstName: "" },
      { email: "x", password: "1", firstName: " ", lastName: "л".repeat(101) },
      { email: `${"a".repeat(260)}@b.ru`, password: "a".repeat(101), firstName: "я".repeat(101) },
      { email: "a@b.ru", password: "abcdefgh", firstName: "x" },
    ];
    for (const sample of samples) {
      for (const schema of [signUpSchema, signInSchema]) {
        const result = schema.safeParse(sample);
        for (const issue of result.error?.issues ?? []) keys.add(issue.message);
      }
    }
    expect(keys.size).toBeGreaterThan(5);
    for (const key of keys) expect(t.has(key), key).toBe(true);
  });
});

describe("translator", () => {
  test("translates keys and fills placeholders", () => {
    const t = createTranslator(ru);
    expect(t("auth.invalidCredentials")).toBe("Неверный email или пароль");
    expect(t("dashboard.greeting", { name: "Анна" })).toBe("Здравствуйте, Анна!");
    expect(createTranslator(en)("dashboard.greeting", { name: "Anna" })).toBe("Hello, Anna!");
  });
  test("dynamic keys: unknown ones are shown as given, empty ones as an empty string", () => {
    const t = createTranslator(en);
    expect(t.dynamic("validation.passwordWeak")).toBe("Password must contain at least one letter and one digit");
    expect(t.dynamic("Plain message")).toBe("Plain message");
    expect(t.dynamic("auth")).toBe("auth"); // a group, not a text
    expect(t.dynamic("constructor")).toBe("constructor");
    expect(t.dynamic(undefined)).toBe("");
  });
  test("interpolate leaves unknown placeholders alone", () => {
    expect(interpolate("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });
  test("locale helpers", () => {
    expect(isLocale("ru")).toBe(true);
    expect(isLocale("de")).toBe(false);
    expect(fromDbLocale("EN")).toBe("en");
    expect(fromDbLocale(null)).toBe("ru");
  });
});
