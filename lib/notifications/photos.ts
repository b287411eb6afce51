// Images sent with a notification (sendPhoto, the rendered text as caption) are produced at delivery
// time by a resolver registered per kind, so the outbox stores only `extra.photo = { kind, …params }`:
//   registerPhotoResolver("ticket", async ({ registrationId }) => pngBuffer)
// lib/notifications/photo-resolvers.ts registers every resolver (a table, not side-effect imports), so
// the resolver exists in every process that delivers (web server, runner, Inngest route).
import "server-only";

export interface PhotoSpec {
  kind: string;
  [param: string]: unknown;
}

export interface ResolvedPhoto {
  data: Buffer | Uint8Array;
  filename?: string;
  contentType?: string;
}

export type PhotoResolver = (params: PhotoSpec) => Promise<Buffer | Uint8Array | ResolvedPhoto>;

const globalForPhotos = globalThis as unknown as { __aqPhotoResolvers?: Map<string, PhotoResolver> };
const resolvers = (globalForPhotos.__aqPhotoResolvers ??= new Map<string, PhotoResolver>());

/** Registers (or replaces) the resolver of one kind. */
export function registerPhotoResolver(kind: string, resolver: PhotoResolver): void {
  resolvers.set(kind, resolver);
}

export function hasPhotoResolver(kind: string): boolean {
  return resolvers.has(kind);
}

/** Produces the image, or null when no resolver is registered for the kind. Resolver errors propagate. */
export async function resolvePhoto(spec: PhotoSpec): Promise<ResolvedPhoto | null> {
  const resolver = resolvers.get(spec.kind);
  if (!resolver) return null;
  const result = await resolver(spec);
  if (result instanceof Uint8Array) return { data: result, filename: `${spec.kind}.png`, contentType: "image/png" };
  return { filename: `${spec.kind}.png`, contentType: "image/png", ...result };
}
