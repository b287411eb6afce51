// The server's message keys as this view shows them: the core catalogue first, then the participant
// registration area ("registrations.errors.*"), then this area's own texts for the errors.* keys of
// lib/registrations and lib/payments and the field errors they raise.
import type { Translator } from "@/lib/i18n/translate";

export function serverMessage(t: Translator, key: string | null | undefined): string {
  if (!key) return "";
  if (t.has(key)) return t.dynamic(key);
  const last = key.split(".").pop() ?? key;
  for (const candidate of [`registrations.${key}`, `registrationsAdmin.serverErrors.${last}`]) {
    if (t.has(candidate)) return t.dynamic(candidate);
  }
  return t("errors.internal");
}
