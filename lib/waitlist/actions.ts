"use server";
// Thin entry point: claim a waitlist offer (the entry's own user, with the link's token). Claiming
// twice returns the same registration, so a double tap is harmless. Limit: `waitlist.claim` per user.
import { action } from "@/lib/http/action";
import { waitlistClaimSchema } from "@/lib/validation/registration-form";
import { claimWaitlistOffer } from "./index";

export const claimWaitlistOfferAction = action(
  waitlistClaimSchema,
  async (input, { actor }) => ({ registrationId: (await claimWaitlistOffer({ actor, ...input })).registrationId }),
  { limit: "waitlist.claim" },
);
