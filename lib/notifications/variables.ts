// Variables computed at delivery, per template code, for notices whose content is not stored in the row
// (an organizer message: its Markdown lives once in event_messages and becomes TrustedHtml here, not
// 10,000 copies in notification_logs). The producing area registers its resolver in
// lib/notifications/photo-resolvers.ts (the one table of delivery-time resolvers); a resolver's values
// override the stored ones. Both channels' deliveries call resolveNoticeVariables().
import "server-only";
import type { NotificationLog } from "@/lib/generated/prisma/client";

export type NoticeRow = Pick<NotificationLog, "id" | "templateCode" | "userId" | "email" | "registrationId" | "messageId" | "channel">;

export type VariableResolver = (row: NoticeRow, context: { locale: "RU" | "EN" }) => Promise<Record<string, unknown>>;

const globalForVariables = globalThis as unknown as { __aqNoticeVariables?: Map<string, VariableResolver> };
const resolvers = (globalForVariables.__aqNoticeVariables ??= new Map<string, VariableResolver>());

export function registerNoticeVariables(templateCode: string, resolver: VariableResolver): void {
  resolvers.set(templateCode, resolver);
}

/** The row's stored variables with the resolver's (if any) on top. */
export async function resolveNoticeVariables(
  row: NoticeRow & Pick<NotificationLog, "variables">,
  context: { locale: "RU" | "EN" },
): Promise<Record<string, unknown>> {
  const stored = (row.variables ?? {}) as Record<string, unknown>;
  const resolver = resolvers.get(row.templateCode);
  return resolver ? { ...stored, ...(await resolver(row, context)) } : stored;
}
