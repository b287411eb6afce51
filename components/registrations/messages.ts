// Message keys of the registration area as the UI shows them. The services raise "errors.<key>"
// (docs/registrations.md); keys the core catalogue does not have live in the registrations area
// ("registrations.errors.<key>"), and the extra-field answers ("events.validation.answer*") fall back
// to "registrations.answers.*" when the events area's texts are not loaded.
import type { Translator } from "@/lib/i18n/translate";

export function registrationMessage(t: Translator, key: string | null | undefined): string {
  if (!key) return "";
  if (t.has(key)) return t.dynamic(key);
  if (key.startsWith("errors.")) {
    const areaKey = `registrations.${key}`;
    if (t.has(areaKey)) return t.dynamic(areaKey);
  }
  if (key.startsWith("events.validation.")) {
    const fallback = `registrations.answers.${key.slice("events.validation.".length)}`;
    if (t.has(fallback)) return t.dynamic(fallback);
  }
  return t.dynamic(key);
}
