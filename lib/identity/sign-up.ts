// Email sign-up (F01). The database decides uniqueness: the partial unique index
// users_email_active_key (email among non-deleted users) turns a concurrent duplicate into a unique
// violation, which becomes CONFLICT on the email field. No check-then-insert.
import "server-only";
import { db, type DbClient } from "@/lib/db";
import { AppError, uniqueViolation } from "@/lib/errors";
import { fieldErrorsOf, signUpSchema, type SignUpInput } from "@/lib/validation/identity";
import { hashPassword } from "./password";

export type SignedUpUser = { id: string; email: string; firstName: string; lastName: string | null };

export async function signUp(input: SignUpInput, tx: DbClient = db): Promise<SignedUpUser> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  const { email, password, firstName, lastName } = parsed.data;

  const passwordHash = await hashPassword(password);
  try {
    const user = await tx.user.create({
      data: { email, passwordHash, firstName, lastName: lastName || null },
      select: { id: true, email: true, firstName: true, lastName: true },
    });
    return { ...user, email: user.email ?? email };
  } catch (error) {
    const target = uniqueViolation(error);
    if (target !== undefined && (target === "users_email_active_key" || target.includes("email"))) {
      throw new AppError("CONFLICT", "errors.emailTaken", { email: "validation.emailTaken" });
    }
    throw error;
  }
}
