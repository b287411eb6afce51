// POST /api/events/revalidate — this server asking itself to expire cached public pages when the
// change happened outside a request (the embedded job runner): lib/public/revalidate.ts. Signed with
// an HMAC of AUTH_SECRET; only public page paths are accepted.
import { revalidatePath } from "next/cache";
import { authSecret } from "@/lib/env";
import { verifyPublicPathsSignature } from "@/lib/public/revalidate-signature";

const PUBLIC_PATH = /^(\/(ru|en)(\/e\/[^/?#]+\/[^/?#]+|\/o\/[^/?#]+)?|\/\[locale\]\/events\/\[page\])$/;

export async function POST(request: Request) {
  const body = await request.text();
  if (!verifyPublicPathsSignature(body, request.headers.get("x-aq-signature"), authSecret())) {
    return Response.json({ error: "FORBIDDEN" }, { status: 403 });
  }
  let paths: unknown;
  try {
    paths = (JSON.parse(body) as { paths?: unknown }).paths;
  } catch {
    return Response.json({ error: "VALIDATION" }, { status: 400 });
  }
  if (!Array.isArray(paths) || paths.length > 50 || !paths.every((p) => typeof p === "string" && PUBLIC_PATH.test(p))) {
    return Response.json({ error: "VALIDATION" }, { status: 400 });
  }
  for (const path of paths as string[]) {
    if (path.includes("[")) revalidatePath(path, "page");
    else revalidatePath(path);
  }
  return Response.json({ ok: true, revalidated: paths.length });
}
