// The public URL path of an event page. Pure: any layer, client components included.
export const publicEventPath = (organizationSlug: string, eventSlug: string) => `/e/${organizationSlug}/${eventSlug}`;
