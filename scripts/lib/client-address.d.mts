// Types for client-address.mjs (imported by the tests; the server itself is plain JavaScript).

export declare const CLIENT_ADDRESS_HEADER: "x-aq-client-ip";
export declare const MAX_HOPS: number;

export type TrustedProxies =
  | { mode: "none" }
  | { mode: "hops"; hops: number }
  | { mode: "list"; entries: string[]; contains(address: string): boolean };

export type ClientAddress = {
  /** The client address; null only when the socket has no valid remote address (already closed). */
  address: string | null;
  /** The socket's peer is a trusted proxy (its X-Forwarded-Proto / X-Forwarded-Host may be believed). */
  viaProxy: boolean;
};

export type ClientAddressResolver = (socketAddress: string | undefined, forwardedFor: string | string[] | undefined) => ClientAddress;

export declare function normalizeAddress(raw: unknown): string | null;
export declare function parseTrustedProxies(value: string | undefined | null): TrustedProxies;
export declare function createClientAddressResolver(setting: string | undefined | null | TrustedProxies): ClientAddressResolver;
export declare function describeTrustedProxies(setting: string | undefined | null | TrustedProxies): string;
