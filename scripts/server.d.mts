// Types for server.mjs (imported by the tests; the server itself is plain JavaScript).
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { TrustedProxies } from "./lib/client-address.mjs";

export declare const HSTS_VALUE: string;
export declare const SERVER_ROLES: readonly ["all", "web", "worker"];
export declare const SHUTDOWN_HOOKS_TIMEOUT_MS: number;

/** Awaits the app's shutdown hooks (globalThis[Symbol.for("aqstream.shutdown-hooks")]), at most `timeoutMs`. */
export declare function runShutdownHooks(timeoutMs?: number): Promise<void>;

export declare function createRequestPreparer(options: {
  trustedProxies: string | undefined | null | TrustedProxies;
  appUrl?: string;
}): (req: IncomingMessage, res: ServerResponse) => { https: boolean } | null;

export declare function createContentSecurityPolicy(options?: {
  telegramWidget?: boolean;
  cacheSize?: number;
}): (req: IncomingMessage, res: ServerResponse, options: { https: boolean }) => void;

export declare function startServer(options?: {
  dir?: string;
  dev?: boolean;
  port?: number;
  hostname?: string;
  trustedProxies?: string;
  appUrl?: string;
  keepAliveTimeoutMs?: number;
  shutdownTimeoutMs?: number;
  role?: "all" | "web" | "worker";
  instance?: string;
  quiet?: boolean;
}): Promise<{ server: Server; port: number; url: string; close(): Promise<void> }>;
