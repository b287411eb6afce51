// Failed group-code lookups per client address (the /g/<code> preview and every join by code).
// A code is 8 characters of a 31-letter alphabet (≈ 8.5·10^11), so guessing is hopeless anyway; this
// keeps scanners off. Only failures count: a room full of people on one Wi-Fi opening the same valid
// link is never limited. Addresses come from clientIp() (lib/http/client-address.ts); an address in
// RATE_LIMIT_EXEMPT_IPS is not counted.
import "server-only";
import { AppError } from "@/lib/errors";
import { isRateLimitExemptIp } from "@/lib/http/client-address";
import { consumeForAddress, limitReached } from "@/lib/rate-limit";

export const GROUP_CODE_FAILURES_PER_IP = { limit: 30, windowSeconds: 10 * 60 } as const;

const SCOPE = "group-code.failed";

/** Throws RATE_LIMITED when this address has used up its failed lookups. No address: no limit. */
export async function assertGroupCodeAttemptsLeft(ip: string | null | undefined): Promise<void> {
  if (!ip || isRateLimitExemptIp(ip)) return;
  const { reached } = await limitReached(`${SCOPE}:ip:${ip}`, GROUP_CODE_FAILURES_PER_IP.limit);
  if (reached) throw new AppError("RATE_LIMITED", "groups.errors.codeAttemptsLimited");
}

/** Counts one failed lookup (unknown, regenerated or malformed code) of this address. */
export async function countFailedGroupCode(ip: string | null | undefined): Promise<void> {
  if (!ip) return;
  await consumeForAddress(SCOPE, ip, GROUP_CODE_FAILURES_PER_IP);
}
