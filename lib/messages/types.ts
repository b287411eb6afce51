// The contract of lib/messages (organizer messages; docs/messages.md), shared by the service, its
// entry points (server actions, routes) and the UI. Pure types: no server imports.
import type { MessageAudience } from "@/lib/validation/messages";

export type { MessageAudience };

export type EventMessageStatus = "SCHEDULED" | "SENDING" | "SENT" | "CANCELLED";

/** SCHEDULED → SENDING → SENT; SCHEDULED → CANCELLED. */
export const EVENT_MESSAGE_TRANSITIONS: Record<EventMessageStatus, readonly EventMessageStatus[]> = {
  SCHEDULED: ["SENDING", "CANCELLED"],
  SENDING: ["SENT"],
  SENT: [],
  CANCELLED: [],
};

/** How many recipients an audience has, by the channel the routing rule gives them (muted excluded). */
export interface AudienceCounts {
  /** People (a person on both channels counts once). */
  recipients: number;
  telegram: number;
  email: number;
  /** People with no usable channel: shown, not silently dropped. */
  noChannel: number;
  /** People who muted the organization's messages (not counted above). */
  muted: number;
}

/** Delivery results of one message, by channel and status (from notification_logs). */
export interface MessageResults {
  telegram: { pending: number; sent: number; failed: number };
  email: { pending: number; sent: number; failed: number };
  noChannel: number;
  /** Rows FAILED as "outcome unknown" after a crash (may have arrived; not sent again). */
  unknown: number;
  /** The most frequent failure reasons, with counts. */
  failures: Array<{ reason: string; count: number }>;
}

export interface EventMessageView {
  id: string;
  eventId: string;
  subject: string;
  body: string;
  audience: MessageAudience;
  ticketTypeId: string | null;
  ticketTypeName: string | null;
  status: EventMessageStatus;
  scheduledAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  author: { id: string; name: string } | null;
  recipientsTotal: number | null;
  results: MessageResults;
  createdAt: string;
}

/** The preview of a message as each channel shows it, in one language. */
export interface MessagePreview {
  locale: "RU" | "EN";
  /** Telegram HTML (what the bot sends). */
  telegramHtml: string;
  email: { subject: string; html: string; text: string };
}
