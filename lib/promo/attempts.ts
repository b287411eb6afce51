// Failed promo-code lookups per client address ("Have a code?" and a sale with an unknown code). A code
// unlocks hidden ticket types (speakers, sponsors), so guessing must stay hopeless: 20 failures per
// 10 minutes per address (lib/http/limits.ts "promo-code.failed"). Only failures count, so a room on one
// Wi-Fi using the same valid code is never limited. No address (tests, jobs): no limit.
import "server-only";
import { consumeLimit, limitReachedFor } from "@/lib/rate-limit";

/** Throws RATE_LIMITED when this address has used up its failed lookups. */
export async function assertPromoAttemptsLeft(ip: string | null | undefined): Promise<void> {
  await limitReachedFor("promo-code.failed", "ip", ip);
}

/** Counts one failed lookup of this address. */
export async function countFailedPromo(ip: string | null | undefined): Promise<void> {
  await consumeLimit("promo-code.failed", "ip", ip);
}
