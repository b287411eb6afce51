// Linking Telegram to the signed-in account: POST → a link token and its t.me deep link (15 min;
// shown as a link and QR code), DELETE → unlink (only while email + password remain). Same-origin
// requests only (the route edge, lib/http/route.ts).
import { route } from "@/lib/http/route";
import { createLinkToken, unlinkTelegram } from "@/lib/identity/telegram-link";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ session: "required", sameOrigin: true }, async ({ user }) => {
  const { url, expiresAt } = await createLinkToken(user.id);
  return { ok: true, url, expiresAt: expiresAt.toISOString() };
});

export const DELETE = route({ session: "required", sameOrigin: true }, async ({ user }) => {
  await unlinkTelegram(user.id);
  return { ok: true };
});
