// Account schemas (verification, password reset, profile, password change, deletion), shared by the
// forms (react-hook-form + zodResolver), the server actions and the services. Messages are message
// keys: validation.* (core) and account.validation.* (lib/i18n/messages/areas/account.ts).
import { z } from "zod";
import { LOCALES } from "@/lib/i18n/config";
import { emailSchema, firstNameSchema, lastNameSchema, newPasswordSchema } from "./identity";

/** Email links carry 32 random bytes as 64 lower-case hex characters. */
export const EMAIL_TOKEN_PATTERN = /^[0-9a-f]{64}$/;

export const emailTokenSchema = z
  .string({ error: "account.validation.tokenInvalid" })
  .regex(EMAIL_TOKEN_PATTERN, "account.validation.tokenInvalid");

/** The word that confirms an account deletion (the account's email works too). */
export const DELETE_CONFIRMATION_WORD = "DELETE";

/** A password typed to prove who you are: only presence is checked (the rules apply to new ones). */
const currentPasswordSchema = z
  .string({ error: "validation.required" })
  .min(1, "validation.required")
  .max(1000, "validation.passwordTooLong");

const confirmSchema = z.string({ error: "validation.required" }).min(1, "validation.required").max(1000, "validation.passwordTooLong");

export const forgotPasswordSchema = z.object({ email: emailSchema });
export type ForgotPasswordInput = z.input<typeof forgotPasswordSchema>;
export type ForgotPasswordData = z.output<typeof forgotPasswordSchema>;

export const resetPasswordSchema = z
  .object({
    token: emailTokenSchema,
    password: newPasswordSchema,
    passwordConfirm: confirmSchema,
    /** Also remove the Telegram link (the reset page offers it when one exists). */
    unlinkTelegram: z.boolean().optional().default(false),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: "account.validation.passwordsDiffer" });
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;
export type ResetPasswordData = z.output<typeof resetPasswordSchema>;

export const profileSchema = z.object({ firstName: firstNameSchema, lastName: lastNameSchema });
export type ProfileInput = z.input<typeof profileSchema>;
export type ProfileData = z.output<typeof profileSchema>;

export const localeSchema = z.object({ locale: z.enum(LOCALES, { error: "validation.invalid" }) });
export type LocaleInput = z.input<typeof localeSchema>;
export type LocaleData = z.output<typeof localeSchema>;

export const changePasswordSchema = z
  .object({ currentPassword: currentPasswordSchema, newPassword: newPasswordSchema, newPasswordConfirm: confirmSchema })
  .refine((v) => v.newPassword === v.newPasswordConfirm, { path: ["newPasswordConfirm"], message: "account.validation.passwordsDiffer" })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "account.validation.passwordUnchanged" });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;
export type ChangePasswordData = z.output<typeof changePasswordSchema>;

/** Whether `typed` confirms deleting the account with this email: the email (any case) or DELETE. */
export function confirmsDeletion(typed: string, email: string | null | undefined): boolean {
  const value = typed.trim();
  if (value.toUpperCase() === DELETE_CONFIRMATION_WORD) return true;
  return !!email && value.toLowerCase() === email.trim().toLowerCase();
}

export const deleteAccountSchema = z.object({
  confirmation: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(300, "validation.invalid"),
});
export type DeleteAccountInput = z.input<typeof deleteAccountSchema>;
export type DeleteAccountData = z.output<typeof deleteAccountSchema>;

/** The form's schema: also checks the confirmation against the account's email (the service checks again). */
export function deleteAccountSchemaFor(email: string | null) {
  return deleteAccountSchema.refine((v) => confirmsDeletion(v.confirmation, email), {
    path: ["confirmation"],
    message: "account.validation.confirmationMismatch",
  });
}
