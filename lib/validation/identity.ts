// Identity schemas, shared by the forms (react-hook-form + zodResolver) and the server actions and
// services. Messages are message keys (validation.*), translated where they are shown.
import { z } from "zod";

export const EMAIL_MAX = 255;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 100;
export const NAME_MAX = 100;

/** A Latin or Cyrillic letter (ё/Ё included). */
const LETTER = /[A-Za-zА-Яа-яЁё]/;
const DIGIT = /[0-9]/;

/** Trimmed, lower-cased, at most 255 characters, a valid address. */
export const emailSchema = z
  .string({ error: "validation.required" })
  .trim()
  .toLowerCase()
  .min(1, "validation.required")
  .max(EMAIL_MAX, "validation.emailTooLong")
  .pipe(z.email({ error: "validation.emailInvalid" }));

/** A new password: 8–100 characters with at least one letter (Latin or Cyrillic) and one digit. */
export const newPasswordSchema = z
  .string({ error: "validation.required" })
  .min(1, "validation.required")
  .min(PASSWORD_MIN, "validation.passwordTooShort")
  .max(PASSWORD_MAX, "validation.passwordTooLong")
  .refine((v) => LETTER.test(v) && DIGIT.test(v), "validation.passwordWeak");

export const firstNameSchema = z
  .string({ error: "validation.firstNameRequired" })
  .trim()
  .min(1, "validation.firstNameRequired")
  .max(NAME_MAX, "validation.firstNameTooLong");

/** Optional: an empty string is accepted (stored as null). */
export const lastNameSchema = z.string().trim().max(NAME_MAX, "validation.lastNameTooLong").optional();

export const signUpSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  firstName: firstNameSchema,
  lastName: lastNameSchema,
});
export type SignUpInput = z.input<typeof signUpSchema>;
export type SignUpData = z.output<typeof signUpSchema>;

/**
 * Signing in checks only that both fields are present: the strength rules apply to new passwords,
 * and a malformed email simply does not match any account (same generic error).
 */
export const signInSchema = z.object({
  email: z.string({ error: "validation.required" }).trim().toLowerCase().min(1, "validation.required").max(EMAIL_MAX, "validation.emailTooLong"),
  password: z.string({ error: "validation.required" }).min(1, "validation.required").max(1000, "validation.passwordTooLong"),
});
export type SignInInput = z.input<typeof signInSchema>;
export type SignInData = z.output<typeof signInSchema>;

/** zod issues as { field: messageKey } (the first issue of each field), for ActionResult.fieldErrors. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_form";
    out[field] ??= issue.message;
  }
  return out;
}
