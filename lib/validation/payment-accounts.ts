// The organization's payment accounts (lib/payments/accounts.ts): the connect forms of the settings page
// (react-hook-form + zodResolver) and their server actions share these schemas; the service parses again.
//
// Secrets are write-only: an empty secret field on an account that is already connected means "keep the
// stored one" (the page never has it to show). Formats (docs/payments.md → "Connecting providers"):
// YooKassa shop id digits, secret key test_… / live_…; Stripe secret key sk_test_… / sk_live_… or a
// restricted key rk_test_… / rk_live_…, webhook endpoint secret whsec_….
import { z } from "zod";

export const MANUAL_INSTRUCTIONS_MAX = 1000;

export const PAYMENT_ACCOUNT_PROVIDERS = ["yookassa", "stripe", "demo", "manual"] as const;
export type PaymentAccountProvider = (typeof PAYMENT_ACCOUNT_PROVIDERS)[number];

const V = "paymentsAdmin.validation";

/** An empty (or whitespace) secret field → undefined: keep the stored one. */
const optionalSecret = (pattern: RegExp, message: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .pipe(z.string().max(300, message).regex(pattern, message).optional());

export const YOOKASSA_SHOP_ID = /^\d{1,12}$/;
export const YOOKASSA_SECRET_KEY = /^(test|live)_[A-Za-z0-9_-]{8,200}$/;
export const STRIPE_SECRET_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,250}$/;
export const STRIPE_WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/=]{8,200}$/;

export const yookassaAccountSchema = z.object({
  provider: z.literal("yookassa"),
  shopId: z.string({ error: `${V}.shopIdInvalid` }).trim().regex(YOOKASSA_SHOP_ID, `${V}.shopIdInvalid`),
  secretKey: optionalSecret(YOOKASSA_SECRET_KEY, `${V}.yookassaSecretInvalid`),
});

export const stripeAccountSchema = z.object({
  provider: z.literal("stripe"),
  secretKey: optionalSecret(STRIPE_SECRET_KEY, `${V}.stripeSecretInvalid`),
  webhookSecret: optionalSecret(STRIPE_WEBHOOK_SECRET, `${V}.webhookSecretInvalid`),
});

export const demoAccountSchema = z.object({ provider: z.literal("demo") });

export const manualAccountSchema = z.object({
  provider: z.literal("manual"),
  instructions: z
    .string()
    .nullish()
    .transform((v) => (v?.trim() ? v.trim() : null))
    .pipe(z.string().max(MANUAL_INSTRUCTIONS_MAX, `${V}.instructionsTooLong`).nullable()),
});

export const paymentAccountInputSchema = z.discriminatedUnion("provider", [yookassaAccountSchema, stripeAccountSchema, demoAccountSchema, manualAccountSchema]);
export type PaymentAccountInput = z.input<typeof paymentAccountInputSchema>;
export type PaymentAccountData = z.output<typeof paymentAccountInputSchema>;

export const paymentAccountProviderSchema = z.enum(PAYMENT_ACCOUNT_PROVIDERS, { error: "errors.notFound" });

/** The form values of each connect form (strings; secrets always start empty). */
export type YooKassaFormValues = z.input<typeof yookassaAccountSchema>;
export type StripeFormValues = z.input<typeof stripeAccountSchema>;
export type ManualFormValues = z.input<typeof manualAccountSchema>;
