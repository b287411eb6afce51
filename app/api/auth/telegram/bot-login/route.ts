// Sign-in through the Telegram bot (phones): POST starts it (token + t.me deep link), GET ?token=
// reports pending | confirmed | expired | used. The browser then calls
// signIn("telegram-bot", { token }) once the status is "confirmed". Both are rate-limited per client
// address (lib/rate-limit.ts).
import { isAppError } from "@/lib/errors";
import { getBotLoginStatus, startBotLogin } from "@/lib/identity/telegram-auth";
import { clientIp } from "@/lib/http/client-address";
import { consumeForAddress } from "@/lib/rate-limit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

/** Starts: 10 per 10 minutes per address. Status polls: 120 per minute per address (one every 2 s is 30). */
const START_LIMIT = { limit: 10, windowSeconds: 600 };
const STATUS_LIMIT = { limit: 120, windowSeconds: 60 };

function tooMany(retryAfterSeconds: number): Response {
  return Response.json(
    { ok: false, code: "RATE_LIMITED", message: "errors.rateLimited" },
    { status: 429, headers: { ...NO_STORE, "retry-after": String(retryAfterSeconds) } },
  );
}

export async function POST(request: Request): Promise<Response> {
  const ip = clientIp(request.headers);
  const limited = await consumeForAddress("telegram-bot-login.start", ip, START_LIMIT);
  if (limited && !limited.allowed) return tooMany(limited.retryAfterSeconds);
  try {
    const started = await startBotLogin({ userAgent: request.headers.get("user-agent"), ip });
    return Response.json(
      { ok: true, token: started.token, url: started.url, expiresAt: started.expiresAt.toISOString() },
      { headers: NO_STORE },
    );
  } catch (error) {
    if (isAppError(error)) {
      return Response.json({ ok: false, code: error.code, message: error.message }, { status: error.httpStatus, headers: NO_STORE });
    }
    throw error;
  }
}

export async function GET(request: Request): Promise<Response> {
  const limited = await consumeForAddress("telegram-bot-login.status", clientIp(request.headers), STATUS_LIMIT);
  if (limited && !limited.allowed) return tooMany(limited.retryAfterSeconds);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return Response.json({ ok: true, status: await getBotLoginStatus(token) }, { headers: NO_STORE });
}
