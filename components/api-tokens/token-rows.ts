// Token records → the list's rows, dates formatted on the server in the reader's language.
import "server-only";
import type { TokenRow } from "@/components/api-tokens/token-list";
import type { ApiTokenRecord } from "@/lib/api";
import type { Locale } from "@/lib/i18n/config";
import { formatDate } from "@/lib/i18n/format/date";

export function tokenRows(records: readonly ApiTokenRecord[], locale: Locale, now: Date = new Date()): TokenRow[] {
  const when = (date: Date | null) => (date ? formatDate(date, locale, "medium") : null);
  return records.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: [...r.scopes],
    state: r.revokedAt ? "revoked" : r.expiresAt && r.expiresAt <= now ? "expired" : "active",
    createdText: when(r.createdAt)!,
    lastUsedText: when(r.lastUsedAt),
    lastUsedIp: r.lastUsedIp,
    expiresText: when(r.expiresAt),
    revokedText: when(r.revokedAt),
  }));
}
