"use server";
// Thin entry points of organizer messages (the event's Messages tab and its composer), the mute page
// /m/<token> and the account's "Muted organizers", behind the action edge (lib/http/action.ts): the
// shared schema (field errors on the form), the caller from the session, the named rate limit, one
// service (which authorizes — OWNER or MODERATOR of the event's organization — and scopes to the
// tenant: another organization's event or message is "not found"), then the pages revalidated.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { MESSAGE_AUDIENCES, MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX, eventMessageFormSchema } from "@/lib/validation/messages";
import {
  cancelEventMessage,
  countAudience,
  createEventMessage,
  listEventMessages,
  muteByToken,
  previewEventMessage,
  unmuteByToken,
  unmuteOrganization,
} from "./index";

const MESSAGES_PAGE = "/[locale]/dashboard/o/[slug]/events/[eventId]/messages";
const ACCOUNT_PAGE = "/[locale]/dashboard/account";

export const createEventMessageAction = action(
  eventMessageFormSchema,
  async (input, { actor }) => {
    const created = await createEventMessage({ actor, input });
    revalidatePath(MESSAGES_PAGE, "page");
    return { id: created.id, scheduledAt: created.scheduledAt };
  },
  { session: "required", limit: "messages.write" },
);

export const cancelEventMessageAction = action(
  z.object({ messageId: id }),
  async ({ messageId }, { actor }) => {
    const result = await cancelEventMessage({ actor, messageId });
    revalidatePath(MESSAGES_PAGE, "page");
    return { changed: result.changed };
  },
  { session: "required", limit: "messages.write", invalid: "not-found" },
);

/** The Messages tab's live list (polled every 2 s while a message is being sent). */
export const listEventMessagesAction = action(
  z.object({ eventId: id }),
  async ({ eventId }, { actor }) => ({ messages: await listEventMessages({ actor, eventId }) }),
  { session: "required", limit: "messages.compose", invalid: "not-found" },
);

/** The composer's "124 people: 80 by Telegram, 40 by email, …" for the chosen audience. */
export const countAudienceAction = action(
  z.object({ eventId: id, audience: z.enum(MESSAGE_AUDIENCES), ticketTypeId: z.string().max(64).nullish() }),
  async ({ eventId, audience, ticketTypeId }, { actor }) => ({
    counts: await countAudience({ actor, eventId, audience, ticketTypeId: audience === "TICKET_TYPE" ? ticketTypeId || null : null }),
  }),
  { session: "required", limit: "messages.compose", invalid: "not-found" },
);

/** The composer's preview: the message as Telegram and as an email shows it, in Russian and English. */
export const previewEventMessageAction = action(
  z.object({ eventId: id, subject: z.string().max(MESSAGE_SUBJECT_MAX * 2), body: z.string().max(MESSAGE_BODY_MAX * 2) }),
  async ({ eventId, subject, body }, { actor }) => ({ previews: await previewEventMessage({ actor, eventId, subject, body }) }),
  { session: "required", limit: "messages.compose" },
);

const tokenInput = z.object({ token: z.string().min(1).max(512) });

/** "Stop messages from <org>" on /m/<token> (a POST: mail scanners that follow links never mute anyone). */
export const muteByTokenAction = action(
  tokenInput,
  async ({ token }) => {
    const result = await muteByToken({ token });
    revalidatePath(ACCOUNT_PAGE, "page");
    return { organizationName: result.organizationName, muted: result.muted };
  },
  { limit: "messages.mute", invalid: "not-found" },
);

/** "Undo" on /m/<token>. */
export const unmuteByTokenAction = action(
  tokenInput,
  async ({ token }) => {
    const result = await unmuteByToken({ token });
    revalidatePath(ACCOUNT_PAGE, "page");
    return { organizationName: result.organizationName, muted: result.muted };
  },
  { limit: "messages.mute", invalid: "not-found" },
);

/** "Unmute" in the account's "Muted organizers". */
export const unmuteOrganizationAction = action(
  z.object({ organizationId: id }),
  async ({ organizationId }, { actor }) => {
    const result = await unmuteOrganization({ actor, organizationId });
    revalidatePath(ACCOUNT_PAGE, "page");
    return { changed: result.changed };
  },
  { session: "required", invalid: "not-found" },
);
