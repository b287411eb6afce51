// The delivery-time variables of template `organizer.message` (registered in
// lib/notifications/photo-resolvers.ts): the message's Markdown lives once in event_messages and is
// rendered here (markdown.ts → TrustedHtml), with the organization's name, the event's title, the subject
// and the recipient's own signed mute link. A message never changes after it is written, so its rendered
// part is cached per process for a minute: a 10,000-recipient send reads it once, not 10,000 times.
import "server-only";
import { db } from "@/lib/db";
import { TrustedHtml } from "@/lib/notifications/render";
import { markdownToTelegramHtml } from "./markdown";
import { muteOneClickUrlFor, muteUrlFor } from "./mutes";

export const ORGANIZER_MESSAGE_TEMPLATE = "organizer.message";

type MessageParts = { organizationId: string; organizationName: string; eventTitle: string; subject: string; html: string };

const CACHE_MS = 60_000;
const CACHE_MAX = 200;
const cache = new Map<string, { at: number; parts: MessageParts }>();

async function messageParts(messageId: string): Promise<MessageParts | null> {
  const hit = cache.get(messageId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.parts;
  const m = await db.eventMessage.findUnique({
    where: { id: messageId },
    select: { organizationId: true, subject: true, body: true, organization: { select: { name: true } }, event: { select: { title: true } } },
  });
  if (!m) return null;
  const parts = { organizationId: m.organizationId, organizationName: m.organization.name, eventTitle: m.event.title, subject: m.subject, html: markdownToTelegramHtml(m.body) };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(messageId, { at: Date.now(), parts });
  return parts;
}

/** The variables of one organizer-message row (its recipient's mute link included). */
export async function organizerMessageVariables(row: {
  id: string;
  messageId: string | null;
  userId: string | null;
  email: string | null;
  channel?: string | null;
}): Promise<Record<string, unknown>> {
  // A row written without a message (a preview or a test through notify()) keeps its stored variables.
  if (!row.messageId) return {};
  const parts = await messageParts(row.messageId);
  if (!parts) throw new Error(`organizer message ${row.messageId} no longer exists`);
  const recipient = row.userId ? { organizationId: parts.organizationId, userId: row.userId } : { organizationId: parts.organizationId, email: row.email ?? "" };
  return {
    organizationName: parts.organizationName,
    eventTitle: parts.eventTitle,
    subject: parts.subject,
    messageBody: new TrustedHtml(parts.html),
    muteUrl: muteUrlFor(recipient),
    muteOneClickUrl: muteOneClickUrlFor(recipient),
    // The email shows the mute link in its footer (and List-Unsubscribe); the Telegram text carries it itself.
    channel: row.channel === "EMAIL" ? "email" : "telegram",
  };
}
