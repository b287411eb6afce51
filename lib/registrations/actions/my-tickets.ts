"use server";
// Thin entry point (the action edge, lib/http/action.ts): the signed-in participant cancels their own
// registration (until the event starts).
import { revalidatePath } from "next/cache";
import { action } from "@/lib/http/action";
import { cancelTicketSchema } from "@/lib/validation/registration-form";
import { cancelMyRegistration } from "../index";

export const cancelMyTicketAction = action(
  cancelTicketSchema,
  async (input, { actor }) => {
    await cancelMyRegistration({ actor, ...input });
    revalidatePath("/dashboard/tickets", "layout");
  },
  { invalid: "not-found" },
);
