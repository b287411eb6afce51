// Message keys of the registration area as the UI shows them. The services raise "errors.<key>"
// (texts in the core catalogue, tests/unit/i18n-error-keys.test.ts); the extra-field answers
// ("events.validation.answer*") fall back to "registrations.answers.*" when the events area's texts
// are not loaded.
import type { Translator } from "@/lib/i18n/translate";

export function registrationMessage(t: Translator, key: string | null | undefined): string {
  if (!key) return "";
  if (t.has(key)) return t.dynamic(key);
  if (key.startsWith("events.validation.")) {
    const fallback = `registrations.answers.${key.slice("events.validation.".length)}`;
    if (t.has(fallback)) return t.dynamic(fallback);
  }
  return t.dynamic(key);
}
