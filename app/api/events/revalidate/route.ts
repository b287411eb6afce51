// POST /api/events/revalidate — this server asking itself to expire cached public pages when the
// change happened outside a request (the embedded job runner): lib/public/revalidate.ts. Signed with
// an HMAC of AUTH_SECRET over the raw body (so the handler reads the body itself); only public page
// paths are accepted. Errors: the route edge's JSON body (403 bad signature, 400 bad paths).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { parseWith, route } from "@/lib/http/route";
import { verifyPublicPathsSignature } from "@/lib/public/revalidate-signature";

const PUBLIC_PATH = /^(\/(ru|en)(\/e\/[^/?#]+\/[^/?#]+|\/o\/[^/?#]+)?|\/\[locale\]\/events\/\[page\])$/;

const body = z.object({ paths: z.array(z.string().regex(PUBLIC_PATH)).max(50) });

export const POST = route({}, async ({ request }) => {
  const text = await request.text();
  if (!verifyPublicPathsSignature(text, request.headers.get("x-aq-signature"), authSecret())) throw new AppError("FORBIDDEN", "errors.forbidden");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "errors.validation", { _form: "api.errors.invalidJson" });
  }
  const { paths } = parseWith(body, raw);
  for (const path of paths) {
    if (path.includes("[")) revalidatePath(path, "page");
    else revalidatePath(path);
  }
  return { ok: true, revalidated: paths.length };
});
