// Telegram webhook (used when TELEGRAM_WEBHOOK_URL is set; see docs/telegram.md). Checks
// X-Telegram-Bot-Api-Secret-Token against TELEGRAM_WEBHOOK_SECRET (401 otherwise) and answers fast.
import { receiveWebhook } from "@/lib/telegram/bot-webhook";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const { status, body } = await receiveWebhook(request);
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}
