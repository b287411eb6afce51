"use server";
// Door-staff links of an event, behind the action edge (lib/http/action.ts); lib/check-in's service
// authorizes `checkin.manageStaff` and validates again. The token comes back once, in the create answer.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { createStaffLinkSchema } from "@/lib/validation/check-in-staff";
import { createStaffLink, revokeStaffLink } from "./index";

const PAGE = "/[locale]/dashboard/o/[slug]/events/[eventId]/check-in";

export const createStaffLinkAction = action(z.tuple([id, createStaffLinkSchema]), async ([eventId, input], { actor }) => {
  const link = await createStaffLink({ actor, eventId, input });
  revalidatePath(PAGE, "page");
  return { link };
});

export const revokeStaffLinkAction = action(z.tuple([id, id]), async ([eventId, accessId], { actor }) => {
  await revokeStaffLink({ actor, eventId, accessId });
  revalidatePath(PAGE, "page");
});
