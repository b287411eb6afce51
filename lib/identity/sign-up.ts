// Email sign-up (F01). The database decides uniqueness: the partial unique index
// users_email_active_key (email among non-deleted users) turns a concurrent duplicate into a unique
// violation, which becomes CONFLICT on the email field. No check-then-insert.
// The verification mail (F04) is written in the same transaction as the user, so it goes out only
// if the account exists. With `ip`, sign-ups are rate-limited per client address (account.ts).
import "server-only";
import { db, type DbClient, withTransaction } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { kick } from "@/lib/mail";
import { fieldErrorsOf, signUpSchema, type SignUpInput } from "@/lib/validation/identity";
import { limitSignUp } from "./account";
import { hashPassword } from "./password";
import { issueEmailVerification } from "./verification";

export type SignedUpUser = { id: string; email: string; firstName: string; lastName: string | null };

export type SignUpOptions = SignUpInput & {
  /** Client address: when given, at most 5 sign-ups per address per hour (RATE_LIMITED). */
  ip?: string | null;
  /** Preferred language (the UI's at sign-up): mails and bot messages use it. Default ru. */
  locale?: Locale;
};

export async function signUp(input: SignUpOptions, tx: DbClient = db): Promise<SignedUpUser> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  const { email, password, firstName, lastName } = parsed.data;
  if (input.ip !== undefined) await limitSignUp({ ip: input.ip });

  const passwordHash = await hashPassword(password);
  try {
    const user = await withTransaction(tx, async (t) => {
      const created = await t.user.create({
        data: { email, passwordHash, firstName, lastName: lastName || null, locale: input.locale === "en" ? "EN" : "RU" },
        select: { id: true, email: true, firstName: true, lastName: true },
      });
      await issueEmailVerification({ userId: created.id }, t);
      return created;
    });
    kick();
    return { ...user, email: user.email ?? email };
  } catch (error) {
    const target = uniqueViolation(error);
    if (target !== undefined && (target === "users_email_active_key" || target.includes("email"))) {
      throw new AppError("CONFLICT", "errors.emailTaken", { email: "validation.emailTaken" });
    }
    throw error;
  }
}
