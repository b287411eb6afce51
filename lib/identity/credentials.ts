// Email + password check with lockout (F02): 5 consecutive failures lock the account for 15 minutes;
// while locked even the right password fails. Each outcome is one conditional UPDATE, so parallel
// attempts cannot lose a failure or unlock a locked account. Callers show one generic message for
// every failure (no account enumeration).
import "server-only";
import { db, type DbClient } from "@/lib/db";
import { signInSchema, type SignInInput } from "@/lib/validation/identity";
import { fromDbLocale, type Locale } from "@/lib/i18n/config";
import { LOCKOUT_MS, MAX_FAILED_LOGINS } from "./constants";
import { verifyPassword } from "./password";

export type VerifiedUser = {
  id: string;
  email: string;
  firstName: string;
  lastName: string | null;
  isPlatformAdmin: boolean;
  locale: Locale;
};

export async function verifyCredentials(
  input: SignInInput & { now?: Date },
  tx: DbClient = db,
): Promise<VerifiedUser | null> {
  const now = input.now ?? new Date();
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    await verifyPassword("", null); // same work as a real check
    return null;
  }
  const { email, password } = parsed.data;

  const user = await tx.user.findFirst({
    where: { email, deletedAt: null },
    select: { id: true, email: true, passwordHash: true, firstName: true, lastName: true, isPlatformAdmin: true, locale: true },
  });
  // Always run bcrypt (against a dummy hash when there is no user or no password), so the time
  // taken does not reveal which emails have accounts.
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  if (!user || !user.passwordHash) return null;

  if (!passwordOk) {
    await recordFailure(user.id, now, tx);
    return null;
  }

  // Success only if the account is not locked at this moment; resets the counter.
  const unlocked = await tx.$executeRaw`
    UPDATE "users"
       SET "failed_login_count" = 0, "locked_until" = NULL, "last_login_at" = ${now}::timestamptz, "updated_at" = ${now}::timestamptz
     WHERE "id" = ${user.id}::uuid
       AND "deleted_at" IS NULL
       AND ("locked_until" IS NULL OR "locked_until" <= ${now}::timestamptz)`;
  if (unlocked === 0) return null;

  return {
    id: user.id,
    email: user.email ?? email,
    firstName: user.firstName,
    lastName: user.lastName,
    isPlatformAdmin: user.isPlatformAdmin,
    locale: fromDbLocale(user.locale),
  };
}

/**
 * One failed attempt. While locked, nothing changes (attempts during a lock neither extend it nor
 * count). After a lock has run out the count starts again at 1; the 5th consecutive failure locks.
 */
async function recordFailure(userId: string, now: Date, tx: DbClient): Promise<void> {
  const lockUntil = new Date(now.getTime() + LOCKOUT_MS);
  await tx.$executeRaw`
    UPDATE "users"
       SET "failed_login_count" = CASE WHEN "locked_until" IS NOT NULL THEN 1 ELSE "failed_login_count" + 1 END,
           "locked_until" = CASE
             WHEN "locked_until" IS NULL AND "failed_login_count" + 1 >= ${MAX_FAILED_LOGINS}::int THEN ${lockUntil}::timestamptz
             ELSE NULL
           END,
           "updated_at" = ${now}::timestamptz
     WHERE "id" = ${userId}::uuid
       AND "deleted_at" IS NULL
       AND ("locked_until" IS NULL OR "locked_until" <= ${now}::timestamptz)`;
}
