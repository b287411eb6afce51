// The server's message keys as this view shows them: the core catalogue (every errors.* key a service
// raises has its text there), then this area's texts for the field errors of its dialogs.
import type { Translator } from "@/lib/i18n/translate";

export function serverMessage(t: Translator, key: string | null | undefined): string {
  if (!key) return "";
  if (t.has(key)) return t.dynamic(key);
  const last = key.split(".").pop() ?? key;
  const own = `registrationsAdmin.serverErrors.${last}`;
  if (t.has(own)) return t.dynamic(own);
  return t("errors.internal");
}
