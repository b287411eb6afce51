// URL slugs: transliteration of Cyrillic (and accented Latin) to plain Latin, and slug helpers.
// Pure module (no server-only, no database): the request form suggests a slug in the browser, the
// services validate with the same rules, and events reuse it for their own slugs.
//
// Transliteration is a "readable URL" scheme rather than a passport standard (ICAO gives "khakaton",
// "iula"; people type "hakaton", "yula"): х→h, ц→ts, ч→ch, ш→sh, щ→sch, ж→zh, й→y, ы→y, ё→yo,
// ю→yu, я→ya, ъ/ь dropped. Ukrainian, Belarusian and Kazakh letters are covered too.

/** a–z, 0–9 and inner hyphens; no leading or trailing hyphen (the database CHECK uses the same). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "yo", ж: "zh", з: "z", и: "i", й: "y",
  к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f",
  х: "h", ц: "ts", ч: "ch", ш: "sh", щ: "sch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  // Ukrainian / Belarusian
  є: "ye", і: "i", ї: "yi", ґ: "g", ў: "u",
  // Kazakh
  ә: "a", ғ: "g", қ: "k", ң: "n", ө: "o", ұ: "u", ү: "u", һ: "h",
};

/** Letters that do not decompose into a base letter + combining mark. */
const LATIN_EXTRA: Record<string, string> = { ß: "ss", æ: "ae", ø: "o", œ: "oe", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };

/**
 * Lower-cased text with Cyrillic letters written in Latin and accents removed ("Ёлка Café" → "yolka cafe").
 * Characters without a Latin form (emoji, CJK, punctuation) are kept as they are.
 */
export function transliterate(text: string): string {
  let out = "";
  for (const ch of String(text ?? "").toLowerCase()) {
    const mapped = CYRILLIC[ch] ?? LATIN_EXTRA[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    // "é" → "e" + U+0301 → "e"; anything else passes through.
    out += ch.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  }
  return out;
}

/** Cuts a slug to `maxLength` characters without leaving a hyphen at the end. */
export function truncateSlug(slug: string, maxLength: number): string {
  return slug.slice(0, Math.max(0, maxLength)).replace(/-+$/, "");
}

/**
 * A slug from any text: transliterated, lower-case, runs of anything that is not [a-z0-9] become one
 * hyphen, no hyphen at either end, at most `maxLength` characters. May be empty (nothing Latin-able).
 *   slugify("Клуб любителей JS 2027!") → "klub-lyubiteley-js-2027"
 */
export function slugify(text: string, { maxLength = 50 }: { maxLength?: number } = {}): string {
  const slug = transliterate(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return truncateSlug(slug, maxLength);
}

/** Whether `slug` is a well-formed slug of `minLength`–`maxLength` characters. */
export function isValidSlug(slug: string, { minLength = 3, maxLength = 50 }: { minLength?: number; maxLength?: number } = {}): boolean {
  return slug.length >= minLength && slug.length <= maxLength && SLUG_PATTERN.test(slug);
}

/**
 * The suggested slug for a name, or "" when the name gives no valid slug (too short, nothing Latin-able):
 * the form then leaves the field for the user to fill.
 */
export function suggestSlug(name: string, { minLength = 3, maxLength = 50 }: { minLength?: number; maxLength?: number } = {}): string {
  const slug = slugify(name, { maxLength });
  return isValidSlug(slug, { minLength, maxLength }) ? slug : "";
}

/**
 * `base` with a "-suffix" appended, the base shortened so the whole stays within `maxLength`
 * (e.g. an event slug that collides: withSlugSuffix("my-event", "x7k2p9", 100) → "my-event-x7k2p9").
 */
export function withSlugSuffix(base: string, suffix: string, maxLength = 50): string {
  const cleanSuffix = slugify(suffix, { maxLength });
  if (!cleanSuffix) return truncateSlug(base, maxLength);
  const room = maxLength - cleanSuffix.length - 1;
  const head = room > 0 ? truncateSlug(base, room) : "";
  return head ? `${head}-${cleanSuffix}` : truncateSlug(cleanSuffix, maxLength);
}
