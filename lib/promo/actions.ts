"use server";
// Thin entry points of the organizer's promo codes (the event's tickets page), behind the action edge
// (lib/http/action.ts): the shared schema (field errors on the form), the caller from the session, one
// service (which authorizes `events.manage` and scopes to the tenant), then the page revalidated.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/http/action";
import { promoCodeFormSchema, promoCodeIdSchema } from "@/lib/validation/promo";
import { createPromoCode, deactivatePromoCode } from "./index";

const TICKETS_PAGE = "/[locale]/dashboard/o/[slug]/events/[eventId]/tickets";

const createInput = z.intersection(promoCodeFormSchema, z.object({ currency: z.enum(["RUB", "USD", "EUR"]).nullish() }));

export const createPromoCodeAction = action(createInput, async (input, { actor }) => {
  const created = await createPromoCode({ actor, input });
  revalidatePath(TICKETS_PAGE, "page");
  return { id: created.id, code: created.code };
});

export const deactivatePromoCodeAction = action(
  promoCodeIdSchema,
  async ({ promoCodeId }, { actor }) => {
    const result = await deactivatePromoCode({ actor, promoCodeId });
    revalidatePath(TICKETS_PAGE, "page");
    return { changed: result.changed };
  },
  { invalid: "not-found" },
);
