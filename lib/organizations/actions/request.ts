"use server";
// Thin entry points of the organization request form, behind the action edge (lib/http/action.ts):
// parse with the shared schema, one service with the signed-in actor (rate limits `org-request` and
// `org-slug-check` are counted by the service: it is callable from anywhere), revalidate.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/http/action";
import { organizationRequestSchema, slugCheckSchema } from "@/lib/validation/organizations";
import { ADMIN_REQUESTS_PATH, ORGANIZATION_REQUEST_PATH, checkSlugAvailability, submitOrganizationRequest } from "../requests";

const signedIn = { session: "required" } as const;

export const submitOrganizationRequestAction = action(
  organizationRequestSchema,
  async (input, { actor }) => {
    const request = await submitOrganizationRequest({ actor, ...input });
    revalidatePath(ORGANIZATION_REQUEST_PATH);
    revalidatePath(ADMIN_REQUESTS_PATH);
    return { id: request.id };
  },
  signedIn,
);

/** The live slug check (debounced by the form); a malformed slug is an answer ("invalid"), not an error. */
export const checkSlugAction = action(
  z.unknown(),
  async (slug, { actor }) => {
    const parsed = slugCheckSchema.safeParse({ slug });
    if (!parsed.success) return { slug: "", status: "invalid" as const };
    return checkSlugAvailability({ actor, slug: parsed.data.slug });
  },
  signedIn,
);
