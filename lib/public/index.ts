// Public API of the public-pages area for the other areas of lib/: on-demand revalidation of the
// cached public pages. The pages import the queries and helpers of this folder directly.
import "server-only";

export { revalidatePublicListings, revalidatePublicEvent, revalidatePublicOrganization, type PublicEventRef } from "./revalidate";
// The live availability of a public event (the embeddable widget, lib/widget, shows the same seats).
export { getPublicAvailability, PUBLIC_PAGE_STATUSES, type PublicAvailability } from "./queries";
