"use server";
// Thin entry point: the signed-in participant cancels their own registration (until the event starts).
import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/errors";
import { getCurrentUser } from "@/lib/identity/session";
import { actorOf } from "@/lib/permissions";
import { cancelMyRegistration } from "@/lib/registrations";
import { cancelTicketSchema } from "@/lib/validation/registration-form";

export async function cancelMyTicketAction(input: unknown): Promise<ActionResult> {
  const parsed = cancelTicketSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
  try {
    await cancelMyRegistration({ actor: actorOf(await getCurrentUser()), ...parsed.data });
    revalidatePath("/dashboard/tickets", "layout");
    return { ok: true };
  } catch (error) {
    return toActionError(error);
  }
}
