// Pure helpers of the Messages tab (server and client alike): how far a message's delivery is, whether
// the list should keep polling, and what the composer's confirm dialog counts.
import type { AudienceCounts, EventMessageView, MessageResults } from "@/lib/messages/types";

export type Progress = {
  /** Delivery rows of the message (one per recipient and channel, plus the no-channel ones). */
  total: number;
  /** Rows with an outcome (sent, failed, no channel). */
  done: number;
  pending: number;
};

export function messageProgress(results: MessageResults): Progress {
  const pending = results.telegram.pending + results.email.pending;
  const done = results.telegram.sent + results.telegram.failed + results.email.sent + results.email.failed + results.noChannel;
  return { total: done + pending, done, pending };
}

/**
 * The list keeps polling while a message is being sent, or one is scheduled for a moment already past
 * (its send job is about to take it: SCHEDULED → SENDING).
 */
export function needsPolling(messages: readonly Pick<EventMessageView, "status" | "scheduledAt">[], now: number = Date.now()): boolean {
  return messages.some((m) => m.status === "SENDING" || (m.status === "SCHEDULED" && Date.parse(m.scheduledAt) <= now));
}

/** People the message reaches (the counts include those with no channel, who won't get it). */
export function reachable(counts: AudienceCounts): number {
  return Math.max(0, counts.recipients - counts.noChannel);
}

/** Newest first by creation time (the service's order; kept stable for the polled list). */
export function newestFirst<T extends Pick<EventMessageView, "createdAt" | "id">>(messages: readonly T[]): T[] {
  return [...messages].sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : Date.parse(b.createdAt) - Date.parse(a.createdAt)));
}
