// Sign-in through the Telegram bot (phones): POST starts it (token + t.me deep link), GET ?token=
// reports pending | confirmed | expired | used. The browser then calls
// signIn("telegram-bot", { token }) once the status is "confirmed". Both are rate-limited per client
// address (`telegram-bot-login.start` / `.status` in lib/http/limits.ts, counted by the route edge).
import { z } from "zod";
import { route } from "@/lib/http/route";
import { getBotLoginStatus, startBotLogin } from "@/lib/identity/telegram-auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ limit: "telegram-bot-login.start" }, async ({ request, ip }) => {
  const started = await startBotLogin({ userAgent: request.headers.get("user-agent"), ip });
  return { ok: true, token: started.token, url: started.url, expiresAt: started.expiresAt.toISOString() };
});

const query = z.object({ token: z.string().optional().default("") });

export const GET = route({ limit: "telegram-bot-login.status", query }, async ({ query: { token } }) => {
  return { ok: true, status: await getBotLoginStatus(token) };
});
