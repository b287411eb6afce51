// REST API v1 — the token's own organization.
import "server-only";
import { defineOperation } from "@/lib/api/operation";
import { objectResponse } from "@/lib/api/pagination";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getOrganizationOverview } from "@/lib/organizations";
import { apiOrganization, toApiOrganization } from "./schemas";

/** GET /organization — the organization the token belongs to. */
export const getOrganization = defineOperation({
  id: "getOrganization",
  method: "GET",
  path: "/organization",
  tag: "Organization",
  scope: "events:read",
  summary: "The token's organization",
  description: "The organization an organization token acts for, with the role it acts with and a few counts.",
  response: objectResponse(apiOrganization),
  handler: async ({ actor, principal }) => {
    if (!principal.organizationId) throw new AppError("NOT_FOUND", "errors.notFound");
    const overview = await getOrganizationOverview({ actor, organizationId: principal.organizationId });
    return { ok: true as const, data: toApiOrganization(overview, env().APP_URL) };
  },
});
