// Failed group-code lookups per client address (the /g/<code> preview and every join by code).
// A code is 8 characters of a 31-letter alphabet (≈ 8.5·10^11), so guessing is hopeless anyway; this
// keeps scanners off. Only failures count: a room full of people on one Wi-Fi opening the same valid
// link is never limited. Addresses come from clientIp() (lib/http/client-address.ts); an address in
// RATE_LIMIT_EXEMPT_IPS is not counted. The rule: "group-code.failed" in lib/http/limits.ts.
import "server-only";
import { consumeLimit, limitReachedFor } from "@/lib/rate-limit";

/** Throws RATE_LIMITED when this address has used up its failed lookups. No address: no limit. */
export async function assertGroupCodeAttemptsLeft(ip: string | null | undefined): Promise<void> {
  await limitReachedFor("group-code.failed", "ip", ip);
}

/** Counts one failed lookup (unknown, regenerated or malformed code) of this address. */
export async function countFailedGroupCode(ip: string | null | undefined): Promise<void> {
  await consumeLimit("group-code.failed", "ip", ip);
}
