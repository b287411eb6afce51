// Public API of the organizations area for the other areas of lib/ (server side). Client code imports
// lib/organizations/slug.ts (pure) directly.
import "server-only";

export { authorizeOrganizationRef, type OrganizationRef } from "./organizations";
export { getOrganizationOverview, type OrganizationOverview } from "./organizations";
export { acceptOrganizationInvite, previewOrganizationInvite } from "./invites";
