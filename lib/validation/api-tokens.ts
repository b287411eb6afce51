// The API token forms (organization tokens on Dashboard → Developers, personal tokens on the account
// page): ONE zod schema for react-hook-form (client) and the server action, and the service's own input
// schema (lib/api/tokens.ts parses again: it is callable from anywhere). Messages are keys of
// lib/i18n/messages/areas/api-tokens.ts ("apiTokens.validation.*").
import { z } from "zod";
import { ORGANIZATION_SCOPES } from "@/lib/api/scopes";

const V = "apiTokens.validation";
export const TOKEN_NAME_MAX = 100;
/** The expiry choices of the form: days, or "never". */
export const TOKEN_EXPIRY_CHOICES = ["never", "30", "90", "365"] as const;
export type TokenExpiryChoice = (typeof TOKEN_EXPIRY_CHOICES)[number];

export const tokenName = z
  .string({ error: `${V}.nameRequired` })
  .trim()
  .min(1, `${V}.nameRequired`)
  .max(TOKEN_NAME_MAX, `${V}.nameTooLong`);

export const organizationScopes = z
  .array(z.enum(ORGANIZATION_SCOPES, { error: `${V}.scopeInvalid` }), { error: `${V}.scopesRequired` })
  .min(1, `${V}.scopesRequired`)
  .transform((scopes) => ORGANIZATION_SCOPES.filter((scope) => scopes.includes(scope)));

const expiry = z.enum(TOKEN_EXPIRY_CHOICES, { error: `${V}.expiryInvalid` });

/** The organization token form. */
export const organizationTokenFormSchema = z.object({
  name: tokenName,
  scopes: organizationScopes,
  expiry,
});
export type OrganizationTokenForm = z.input<typeof organizationTokenFormSchema>;

/** The personal token form. */
export const personalTokenFormSchema = z.object({ name: tokenName, expiry });
export type PersonalTokenForm = z.input<typeof personalTokenFormSchema>;

/** The expiry moment of a form's choice, from `now`. */
export function expiresAtOf(choice: TokenExpiryChoice, now: Date = new Date()): Date | null {
  return choice === "never" ? null : new Date(now.getTime() + Number(choice) * 24 * 60 * 60 * 1000);
}

/** An expiry: null (never) or a moment in the future. */
export const tokenExpiresAt = z
  .union([z.date({ error: `${V}.expiryInvalid` }), z.null()], { error: `${V}.expiryInvalid` })
  .optional()
  .transform((value) => value ?? null)
  .refine((value) => value === null || value.getTime() > Date.now(), `${V}.expiryPast`);
