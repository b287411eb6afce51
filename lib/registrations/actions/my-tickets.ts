"use server";
// Thin entry point (the action edge, lib/http/action.ts): the signed-in participant cancels their own
// registration (until the event starts).
import { revalidatePath } from "next/cache";
import { action } from "@/lib/http/action";
import { cancelTicketSchema } from "@/lib/validation/registration-form";
import { cancelMyRegistration, previewMyCancellation } from "../index";

export const cancelMyTicketAction = action(
  cancelTicketSchema,
  async (input, { actor }) => {
    await cancelMyRegistration({ actor, ...input });
    revalidatePath("/dashboard/tickets", "layout");
  },
  { invalid: "not-found" },
);

/** What the cancellation would give back now (the confirmation dialog shows it before the participant confirms). */
export const previewMyCancellationAction = action(
  cancelTicketSchema.pick({ registrationId: true }),
  async (input, { actor }) => ({ preview: await previewMyCancellation({ actor, registrationId: input.registrationId }) }),
  { invalid: "not-found" },
);
