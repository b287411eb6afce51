// POST /api/messages/mute/<token>: RFC 8058 one-click unsubscribe. Mail clients that show "Unsubscribe"
// for the List-Unsubscribe header of an organizer message POST `List-Unsubscribe=One-Click` here (no
// cookies, no sign-in, no page); the signed token names the organization and the person. Mutes (the
// same service as the /m/<token> page) and answers 200; a token that is not ours → 404. GET is not
// answered with a change: people and scanners open /m/<token>, which asks first.
// Rate limit `messages.mute` per address (lib/http/limits.ts), counted by the route edge.
import { z } from "zod";
import { json, NO_STORE, route } from "@/lib/http/route";
import { muteByToken } from "@/lib/messages";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ token: z.string().min(1).max(512) });

export const POST = route({ limit: "messages.mute", params }, async ({ params: { token } }) => {
  const result = await muteByToken({ token });
  return json({ ok: true, muted: result.muted }, 200, NO_STORE);
});
