// API tokens for the API tests (tests/integration/api-*.test.ts), made through the real service
// (lib/api/tokens.ts): an organization token needs `userId` to be the organization's OWNER (api.manage);
// `organizationId: null` makes a personal token (scope tickets:read).
//
//   const { organization, owner } = await createOrganization();
//   const { token, tokenId } = await createTestToken({ userId: owner.id, organizationId: organization.id, scopes: ["events:read"] });
//   await GET(apiRequest("/api/v1/events", { token }));
import { createOrganizationToken, createPersonalToken } from "@/lib/api";
import type { ApiScope } from "@/lib/api/scopes";
import { fromClient, uniqueIp } from "@/tests/helpers/client-address";

export async function createTestToken(options: {
  userId: string;
  organizationId: string | null;
  scopes?: readonly ApiScope[];
  expiresAt?: Date | null;
  name?: string;
}): Promise<{ token: string; tokenId: string }> {
  const actor = { userId: options.userId, isPlatformAdmin: false };
  const name = options.name ?? "test token";
  const created = options.organizationId
    ? await createOrganizationToken({ actor, organizationId: options.organizationId, name, scopes: options.scopes ?? ["events:read"], expiresAt: options.expiresAt ?? null })
    : await createPersonalToken({ actor, name, expiresAt: options.expiresAt ?? null });
  return { token: created.token, tokenId: created.record.id };
}

/**
 * A Request to the API as a client sends it: `Authorization: Bearer <token>` (when given), JSON body,
 * Accept-Language (default en), an address of its own (unless `ip`), and extra headers.
 */
export function apiRequest(
  path: string,
  options: { token?: string | null; method?: string; body?: unknown; raw?: string; headers?: Record<string, string>; ip?: string; language?: string } = {},
): Request {
  const headers = fromClient(options.ip ?? uniqueIp(), { "accept-language": options.language ?? "en", ...options.headers });
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const hasBody = options.raw !== undefined || options.body !== undefined;
  if (hasBody) headers.set("content-type", "application/json");
  const url = path.startsWith("http") ? path : `http://localhost${path}`;
  return new Request(url, { method: options.method ?? (hasBody ? "POST" : "GET"), headers, body: hasBody ? (options.raw ?? JSON.stringify(options.body)) : undefined });
}

/** The Next.js route context of a route with params. */
export const routeParams = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve(params) });
