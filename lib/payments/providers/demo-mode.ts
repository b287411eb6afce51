// Whether the built-in demo provider is on (docs/payments.md → "Providers and which one takes a payment").
// PAYMENTS_DEMO=1 → on; PAYMENTS_DEMO=0 → off; unset → on only where no real money can be expected:
// the embedded database (`npm start` / `npm run dev` with nothing configured set AQ_EMBEDDED_DB=1,
// scripts/lib/prepare.mjs) and the tests (NODE_ENV=test).
import "server-only";
import { env, type Env } from "@/lib/env";

export function paymentsDemoEnabled(settings: Pick<Env, "PAYMENTS_DEMO" | "AQ_EMBEDDED_DB" | "NODE_ENV"> = env()): boolean {
  if (settings.PAYMENTS_DEMO === "1") return true;
  if (settings.PAYMENTS_DEMO === "0") return false;
  return settings.AQ_EMBEDDED_DB === "1" || settings.NODE_ENV === "test";
}
