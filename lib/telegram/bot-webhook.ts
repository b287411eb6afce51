// Webhook intake (app/api/telegram/webhook/route.ts stays thin). Telegram sends each update as a
// POST with the secret we gave setWebhook in X-Telegram-Bot-Api-Secret-Token; anything without the
// right secret is refused (401), compared in constant time. The update is handled within a short
// budget and the answer is 200 either way, so Telegram never waits long nor re-sends a slow update
// (a duplicate would be dropped by handleUpdate's update-id memory and idempotent handlers anyway).
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { isTelegramConfigured } from "./api";
import { handleUpdate, type TelegramUpdate } from "./bot";

export const WEBHOOK_SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** How long the route waits for the handler before answering 200 anyway. */
export const WEBHOOK_HANDLE_BUDGET_MS = 3000;

/** Constant-time comparison of two strings of any length (both are hashed first). */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export type WebhookOutcome = { status: 200 | 400 | 401 | 404; body: { ok: boolean; error?: string } };

function isUpdate(value: unknown): value is TelegramUpdate {
  return !!value && typeof value === "object" && Number.isSafeInteger((value as { update_id?: unknown }).update_id);
}

/** Checks the secret, parses the update and handles it (within the budget). */
export async function receiveWebhook(request: Request, { budgetMs = WEBHOOK_HANDLE_BUDGET_MS }: { budgetMs?: number } = {}): Promise<WebhookOutcome> {
  const secret = env().TELEGRAM_WEBHOOK_SECRET;
  if (!secret || !isTelegramConfigured()) return { status: 404, body: { ok: false, error: "telegram webhook is not configured" } };
  if (!safeEqual(request.headers.get(WEBHOOK_SECRET_HEADER) ?? "", secret)) {
    return { status: 401, body: { ok: false, error: "unauthorized" } };
  }
  let update: unknown;
  try {
    update = await request.json();
  } catch {
    return { status: 400, body: { ok: false, error: "body is not JSON" } };
  }
  // Authenticated but not an update we understand: acknowledge, or Telegram would retry forever.
  if (!isUpdate(update)) return { status: 200, body: { ok: true } };

  const work = handleUpdate(update).catch((error: unknown) => console.error("[telegram] webhook update failed:", error));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
  clearTimeout(timer);
  return { status: 200, body: { ok: true } };
}
