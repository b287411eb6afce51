// Linking Telegram to the signed-in account: POST → a link token and its t.me deep link (15 min;
// shown as a link and QR code), DELETE → unlink (only while email + password remain). Same-origin
// requests only.
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { requireUser } from "@/lib/identity/session";
import { createLinkToken, unlinkTelegram } from "@/lib/identity/telegram-link";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") !== "cross-site";
  try {
    return origin === new URL(env().APP_URL).origin || origin === new URL(request.url).origin;
  } catch {
    return false;
  }
}

async function run(request: Request, action: (userId: string) => Promise<Record<string, unknown>>): Promise<Response> {
  if (!sameOrigin(request)) return Response.json({ ok: false, code: "FORBIDDEN", message: "errors.forbidden" }, { status: 403, headers: NO_STORE });
  try {
    const user = await requireUser();
    return Response.json({ ok: true, ...(await action(user.id)) }, { headers: NO_STORE });
  } catch (error) {
    if (isAppError(error)) {
      return Response.json({ ok: false, code: error.code, message: error.message }, { status: error.httpStatus, headers: NO_STORE });
    }
    throw error;
  }
}

export function POST(request: Request): Promise<Response> {
  return run(request, async (userId) => {
    const { url, expiresAt } = await createLinkToken(userId);
    return { url, expiresAt: expiresAt.toISOString() };
  });
}

export function DELETE(request: Request): Promise<Response> {
  return run(request, async (userId) => {
    await unlinkTelegram(userId);
    return {};
  });
}
