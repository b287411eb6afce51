"use server";
// Thin entry points of the admin review queue, behind the action edge (lib/http/action.ts). The
// services check the platform-admin role. The queue is revalidated whatever the outcome (a request
// another admin decided meanwhile disappears from it).
import { revalidatePath } from "next/cache";
import { action } from "@/lib/http/action";
import { rejectRequestSchema, requestIdSchema } from "@/lib/validation/organizations";
import { ADMIN_REQUESTS_PATH, ORGANIZATION_REQUEST_PATH, approveOrganizationRequest, rejectOrganizationRequest } from "../requests";

const signedIn = { session: "required" } as const;

export const approveRequestAction = action(
  requestIdSchema,
  async ({ requestId }, { actor }) => {
    try {
      const approved = await approveOrganizationRequest({ actor, requestId });
      // The layout (navigation badge) and the requester's pages change too.
      revalidatePath("/dashboard", "layout");
      revalidatePath(ORGANIZATION_REQUEST_PATH);
      return { organizationSlug: approved.slug, organizationName: approved.name };
    } finally {
      revalidatePath(ADMIN_REQUESTS_PATH);
    }
  },
  { ...signedIn, invalid: "not-found" },
);

export const rejectRequestAction = action(
  rejectRequestSchema,
  async (input, { actor }) => {
    try {
      await rejectOrganizationRequest({ actor, ...input });
      revalidatePath("/dashboard", "layout");
      revalidatePath(ORGANIZATION_REQUEST_PATH);
    } finally {
      revalidatePath(ADMIN_REQUESTS_PATH);
    }
  },
  signedIn,
);
