import { describe, expect, test } from "vitest";
import { compiledMessage, pick, translatorFor } from "@/lib/i18n/catalogue";
import { compileMessage, messageArguments } from "@/lib/i18n/compile";
import { fromDbLocale, isLocale } from "@/lib/i18n/config";
import { formatMessage } from "@/lib/i18n/icu";
import { en, ru } from "@/lib/i18n/messages";
import { createTranslator, isCompiledMessage, lookupPath, messageKeys } from "@/lib/i18n/translate";
import { signInSchema, signUpSchema } from "@/lib/validation/identity";

describe("catalogues", () => {
  test("en and ru have exactly the same keys", () => {
    expect(messageKeys(en)).toEqual(messageKeys(ru));
  });

  test("every text is valid ICU, not empty, and both languages take the same arguments", () => {
    for (const key of messageKeys(ru)) {
      const compiled = { ru: compileMessage(lookupPath(ru, key) as string), en: compileMessage(lookupPath(en, key) as string) };
      const args = (locale: "ru" | "en") => [...messageArguments(compiled[locale]).keys()].sort();
      expect(args("en"), key).toEqual(args("ru"));
      const values = Object.fromEntries(args("ru").map((name) => [name, messageArguments(compiled.ru).get(name) === "plural" ? 3 : "x"]));
      expect(formatMessage(compiled.ru, "ru", values).trim(), key).not.toBe("");
      expect(formatMessage(compiled.en, "en", values).trim(), key).not.toBe("");
    }
  });

  test("every message key a schema can emit exists in the catalogue", () => {
    const t = translatorFor("ru");
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
  test("translates keys and fills arguments", () => {
    const t = translatorFor("ru");
    expect(t("auth.invalidCredentials")).toBe("Неверный email или пароль");
    expect(t("dashboard.greeting", { name: "Анна" })).toBe("Здравствуйте, Анна!");
    expect(translatorFor("en")("dashboard.greeting", { name: "Anna" })).toBe("Hello, Anna!");
    expect(t.locale).toBe("ru");
  });

  test("dynamic keys: unknown ones are shown as given, empty ones as an empty string", () => {
    const t = translatorFor("en");
    expect(t.dynamic("validation.passwordWeak")).toBe("Password must contain at least one letter and one digit");
    expect(t.dynamic("Plain message")).toBe("Plain message");
    expect(t.dynamic("auth")).toBe("auth"); // a group, not a text
    expect(t.dynamic("constructor")).toBe("constructor");
    expect(t.dynamic("__proto__.toString")).toBe("__proto__.toString");
    expect(t.dynamic(undefined)).toBe("");
    expect(t.has("auth.loginTitle")).toBe(true);
    expect(t.has("auth")).toBe(false);
  });

  test("a missing value shows as {name}, never as undefined", () => {
    expect(formatMessage(compileMessage("Hello, {name}! {a} and {b}"), "en", { a: 1 })).toBe("Hello, {name}! 1 and {b}");
    expect(translatorFor("ru")("dashboard.greeting")).toBe("Здравствуйте, {name}!");
  });

  test("< and > are text, apostrophes quote ICU syntax only where ICU says so", () => {
    expect(formatMessage(compileMessage("<b>{name}</b> & <a href=\"{url}\">x</a>"), "en", { name: "N", url: "U" })).toBe('<b>N</b> & <a href="U">x</a>');
    expect(formatMessage(compileMessage("You're l'<i>ok</i>"), "en")).toBe("You're l'<i>ok</i>");
    expect(formatMessage(compileMessage("'{{'{name}'}}'"), "en", { name: "firstName" })).toBe("{{firstName}}");
    expect(() => compileMessage("{broken")).toThrow();
  });
});

describe("client messages", () => {
  test("pick() hands over only the asked namespaces, compiled", () => {
    const picked = pick("ru", ["errorPage", "registrations.register", "auth.loginTitle"]);
    expect(Object.keys(picked).sort()).toEqual(["auth", "errorPage", "registrations"]);
    expect(Object.keys(picked.registrations)).toEqual(["register"]);
    expect(Object.keys(picked.auth)).toEqual(["loginTitle"]);
    expect(isCompiledMessage((picked.errorPage as Record<string, unknown>).code)).toBe(true);
    expect(JSON.parse(JSON.stringify(picked))).toEqual(picked); // serializable for the RSC payload
    expect(() => pick("ru", ["nope" as never])).toThrow(/unknown namespace/);
  });

  test("a client translator over picked messages renders exactly what the server renders", () => {
    const picked = pick("en", ["errorPage", "dashboard"]);
    const client = createTranslator("en", (key) => {
      const found = lookupPath(picked, key);
      return isCompiledMessage(found) ? found : undefined;
    });
    const server = translatorFor("en");
    expect(client("errorPage.code", { digest: "abc" })).toBe(server("errorPage.code", { digest: "abc" }));
    expect(client("dashboard.greeting", { name: "<Ann>" })).toBe("Hello, <Ann>!");
    expect(client.has("auth.loginTitle")).toBe(false); // not picked
    expect(compiledMessage("en", "errorPage.code")).toEqual(lookupPath(picked, "errorPage.code"));
  });
});

describe("locale helpers", () => {
  test("isLocale / fromDbLocale", () => {
    expect(isLocale("ru")).toBe(true);
    expect(isLocale("de")).toBe(false);
    expect(fromDbLocale("EN")).toBe("en");
    expect(fromDbLocale(null)).toBe("ru");
  });
});
