// Public API of organizer messages (docs/messages.md → "Organizer messages"): server-only services for
// the composer and the messages tab (lib/messages/actions.ts), the mute page and the account page. The
// send pipeline (jobs) is ./send.ts; pure parts: ./types.ts, ./markdown.ts.
import "server-only";

export {
  createEventMessage,
  cancelEventMessage,
  listEventMessages,
  getEventMessage,
  countAudience,
  previewEventMessage,
} from "./service";
export { muteTokenFor, muteUrlFor, muteByToken, unmuteByToken, listMyMutes, unmuteOrganization } from "./mutes";
export { describeMuteToken } from "./mute-page";
export { markdownToTelegramHtml } from "./markdown";
export type { AudienceCounts, EventMessageStatus, EventMessageView, MessageAudience, MessagePreview, MessageResults } from "./types";
export { startMessageSend, deliverMessage, recoverMessages, type StartOutcome, type DeliverMessageOutcome } from "./send";
