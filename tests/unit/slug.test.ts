import { describe, expect, test } from "vitest";
import { SLUG_PATTERN, isValidSlug, slugify, suggestSlug, transliterate, truncateSlug, withSlugSuffix } from "@/lib/organizations/slug";
import { organizationRequestSchema } from "@/lib/validation/organizations";

describe("transliterate", () => {
  test("Russian letters, readable scheme", () => {
    expect(transliterate("Съешь же ещё этих мягких французских булок")).toBe("sesh zhe eschyo etih myagkih frantsuzskih bulok");
    expect(transliterate("Хакатон Юла Ёлка Щука Чай Шар Цирк Йога Мышь Эхо Яблоко")).toBe(
      "hakaton yula yolka schuka chay shar tsirk yoga mysh eho yabloko",
    );
  });
  test("upper case, Ukrainian / Kazakh letters and accents", () => {
    expect(transliterate("ПРИВЕТ")).toBe("privet");
    expect(transliterate("Київ Ґанок Єва")).toBe("kiyiv ganok yeva");
    expect(transliterate("Қазақстан Өскемен")).toBe("kazakstan oskemen");
    expect(transliterate("Café Müller Straße Łódź")).toBe("cafe muller strasse lodz");
  });
});

describe("slugify", () => {
  test("makes URL slugs from any name", () => {
    expect(slugify("Клуб любителей JS 2027!")).toBe("klub-lyubiteley-js-2027");
    expect(slugify("  --Hello,   World--  ")).toBe("hello-world");
    expect(slugify("Митап «Frontend & Design» №5")).toBe("mitap-frontend-design-no5");
    expect(slugify("🎉🎉🎉")).toBe("");
  });
  test("stays within the maximum length without a trailing hyphen", () => {
    const slug = slugify("Очень длинное название организации которое не помещается в адрес", { maxLength: 20 });
    expect(slug.length).toBeLessThanOrEqual(20);
    expect(slug).toMatch(SLUG_PATTERN);
    expect(slugify("ab cd", { maxLength: 3 })).toBe("ab");
  });
  test("its output always passes the form schema when long enough", () => {
    for (const name of ["Книжный клуб", "Тест 123", "A-B-C", "Э", "Ъ Ь Ъ", "Встреча выпускников 2007 года — 20 лет спустя!"]) {
      const slug = suggestSlug(name);
      if (slug) expect(organizationRequestSchema.safeParse({ name: "Имя", slug }).success, name).toBe(true);
    }
  });
});

describe("suggestSlug / isValidSlug", () => {
  test("suggests only valid slugs", () => {
    expect(suggestSlug("Йога")).toBe("yoga");
    expect(suggestSlug("Я")).toBe(""); // "ya": too short
    expect(suggestSlug("!!!")).toBe("");
  });
  test("the slug rules of the form", () => {
    expect(isValidSlug("abc")).toBe(true);
    expect(isValidSlug("a-b")).toBe(true);
    expect(isValidSlug("ab")).toBe(false);
    expect(isValidSlug("-abc")).toBe(false);
    expect(isValidSlug("abc-")).toBe(false);
    expect(isValidSlug("ABC")).toBe(false);
    expect(isValidSlug("a_b")).toBe(false);
    expect(isValidSlug("a".repeat(50))).toBe(true);
    expect(isValidSlug("a".repeat(51))).toBe(false);
  });
});

describe("withSlugSuffix (events: a slug that collides gets a suffix)", () => {
  test("keeps within the limit", () => {
    expect(withSlugSuffix("my-event", "x7k2p9", 100)).toBe("my-event-x7k2p9");
    const long = withSlugSuffix("a".repeat(60), "zz9", 50);
    expect(long).toHaveLength(50);
    expect(long.endsWith("-zz9")).toBe(true);
    expect(withSlugSuffix("abc-def", "123456", 10)).toBe("abc-123456");
  });
  test("truncateSlug never ends with a hyphen", () => {
    expect(truncateSlug("abc-def", 4)).toBe("abc");
  });
});

describe("organization schemas", () => {
  test("every message key they can emit exists in both catalogues", async () => {
    const { translatorFor } = await import("@/lib/i18n/catalogue");
    const schemas = await import("@/lib/validation/organizations");
    const samples: [{ safeParse: (v: unknown) => { error?: { issues: { message: string }[] } } }, unknown][] = [
      [schemas.organizationRequestSchema, {}],
      [schemas.organizationRequestSchema, { name: "", slug: "", description: "" }],
      [schemas.organizationRequestSchema, { name: "x", slug: "ab", description: "d".repeat(2001) }],
      [schemas.organizationRequestSchema, { name: "n".repeat(256), slug: "a".repeat(51) }],
      [schemas.organizationRequestSchema, { name: "ok", slug: "-bad-" }],
      [schemas.rejectRequestSchema, { requestId: "x", comment: "" }],
      [schemas.rejectRequestSchema, { requestId: "x", comment: "short" }],
      [schemas.rejectRequestSchema, { requestId: "x", comment: "x".repeat(1001) }],
      [schemas.organizationUpdateSchema, { name: "", defaultTimezone: "Nowhere/City", contactEmail: "bad", websiteUrl: "ftp://x" }],
      [schemas.organizationUpdateSchema, { name: "ok", contactEmail: `${"a".repeat(256)}@x.ru`, websiteUrl: `https://${"a".repeat(500)}.ru` }],
      [schemas.organizationDeleteSchema, { confirmSlug: "" }],
    ];
    const keys = new Set<string>(["organizations.validation.slugTaken", "organizations.validation.confirmSlugMismatch"]);
    for (const [schema, sample] of samples) for (const issue of schema.safeParse(sample).error?.issues ?? []) keys.add(issue.message);
    expect(keys.size).toBeGreaterThan(15);
    const t = { ru: translatorFor("ru"), en: translatorFor("en") };
    for (const key of keys) {
      expect(t.ru.has(key), key).toBe(true);
      expect(t.en.has(key), key).toBe(true);
    }
  });
});
