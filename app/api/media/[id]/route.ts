// GET /api/media/<id> — one upload's status and URLs (poll until status is READY):
// → { ok: true, media: { id, status, width, height, urls: { original, thumbnail?, small?, medium?, large? } } }
// Only its uploader (avatars) or staff of its organization see it; anyone else → 404.
import { requireUser } from "@/lib/identity/session";
import { errorResponse, NO_STORE } from "@/lib/media/http";
import { getMedia } from "@/lib/media/upload";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const [{ id }, user] = await Promise.all([params, requireUser()]);
    const media = await getMedia({ actor: actorOf(user), mediaId: id });
    return Response.json({ ok: true, media }, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error);
  }
}
