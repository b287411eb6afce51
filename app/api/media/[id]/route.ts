// GET /api/media/<id> — one upload's status and URLs (poll until status is READY):
// → { ok: true, media: { id, status, width, height, urls: { original, thumbnail?, small?, medium?, large? } } }
// Only its uploader (avatars) or staff of its organization see it; anyone else → 404.
import { z } from "zod";
import { route } from "@/lib/http/route";
import { getMedia } from "@/lib/media/upload";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ session: "required", params: z.object({ id: z.string() }) }, async ({ params, user }) => {
  return { ok: true, media: await getMedia({ actor: actorOf(user), mediaId: params.id }) };
});
