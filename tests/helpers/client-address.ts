// Integration tests call route handlers the way scripts/server.mjs serves them: the process carries the
// server's mark and the client address arrives in x-aq-client-ip (lib/http/client-address.ts).
// Importing this module sets the mark for the test file's process.
import { randomInt } from "node:crypto";
import { CLIENT_ADDRESS_HEADER, CLIENT_ADDRESS_SERVER_MARK } from "@/lib/http/client-address";

(globalThis as Record<symbol, unknown>)[CLIENT_ADDRESS_SERVER_MARK] = true;

/** A random private address, so tests never share a per-IP bucket. */
export function uniqueIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** Headers of a request the server resolved to client address `ip`. */
export function fromClient(ip: string, init?: HeadersInit): Headers {
  const headers = new Headers(init);
  headers.set(CLIENT_ADDRESS_HEADER, ip);
  return headers;
}
