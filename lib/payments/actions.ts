"use server";
// Thin entry points of the organization's payment settings (settings → Payments), behind the action edge
// (lib/http/action.ts). The organization id is the page's (bound); the services authorize it against the
// signed-in user's membership (owner only for changes). Secrets travel only from the form to the service.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { paymentAccountInputSchema, paymentAccountProviderSchema } from "@/lib/validation/payment-accounts";
import { disconnectPaymentAccount, savePaymentAccount, testPaymentAccount } from "./accounts";

const signedIn = { session: "required" } as const;
const settingsPath = "/[locale]/dashboard/o/[slug]/settings/payments";

export const savePaymentAccountAction = action(
  z.tuple([id, paymentAccountInputSchema]),
  async ([organizationId, input], { actor }) => {
    const saved = await savePaymentAccount({ actor, organizationId, input });
    revalidatePath(settingsPath, "page");
    return { provider: saved.provider, publicHint: saved.publicHint };
  },
  signedIn,
);

export const disconnectPaymentAccountAction = action(
  z.tuple([id, paymentAccountProviderSchema]),
  async ([organizationId, provider], { actor }) => {
    const result = await disconnectPaymentAccount({ actor, organizationId, provider });
    revalidatePath(settingsPath, "page");
    return result;
  },
  signedIn,
);

/** Rate-limited per user (LIMITS["payments.test-connection"]): each test calls the provider with the organization's keys. */
export const testPaymentAccountAction = action(
  z.tuple([id, paymentAccountProviderSchema]),
  async ([organizationId, provider], { actor }) => {
    const result = await testPaymentAccount({ actor, organizationId, provider });
    revalidatePath(settingsPath, "page");
    return result.ok ? { result: { ok: true as const, verifiedAt: result.verifiedAt.toISOString() } } : { result: { ok: false as const, reason: result.reason } };
  },
  { ...signedIn, limit: "payments.test-connection" },
);
