"use server";
// Thin entry points of the API token pages (Dashboard → organization → Developers; the account's
// personal tokens), behind the action edge (lib/http/action.ts). The organization id is the page's
// (bound); the service authorizes it against the signed-in user (api.manage: the owner). The token text
// travels once, in the create action's answer, and is never stored.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, id } from "@/lib/http/action";
import { expiresAtOf, organizationTokenFormSchema, personalTokenFormSchema } from "@/lib/validation/api-tokens";
import { createOrganizationToken, createPersonalToken, revokeApiToken } from "./tokens";

const signedIn = { session: "required" } as const;
const developersPath = "/[locale]/dashboard/o/[slug]/developers";
const personalPath = "/[locale]/dashboard/account/api-tokens";

export const createOrganizationTokenAction = action(
  z.tuple([id, organizationTokenFormSchema]),
  async ([organizationId, input], { actor }) => {
    const { token, record } = await createOrganizationToken({ actor, organizationId, name: input.name, scopes: input.scopes, expiresAt: expiresAtOf(input.expiry) });
    revalidatePath(developersPath, "page");
    return { token, id: record.id, name: record.name };
  },
  signedIn,
);

export const createPersonalTokenAction = action(
  personalTokenFormSchema,
  async (input, { actor }) => {
    const { token, record } = await createPersonalToken({ actor, name: input.name, expiresAt: expiresAtOf(input.expiry) });
    revalidatePath(personalPath, "page");
    return { token, id: record.id, name: record.name };
  },
  signedIn,
);

export const revokeApiTokenAction = action(
  z.object({ tokenId: id }),
  async ({ tokenId }, { actor }) => {
    const record = await revokeApiToken({ actor, tokenId });
    revalidatePath(record.kind === "organization" ? developersPath : personalPath, "page");
  },
  { ...signedIn, invalid: "not-found" },
);
