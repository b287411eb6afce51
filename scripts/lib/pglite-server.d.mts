// Types for pglite-server.mjs (imported by tests/helpers/test-db.ts).
import type { PGlite } from "@electric-sql/pglite";

export declare class PgliteServer {
  constructor(db: PGlite, options?: { host?: string; port?: number; maxConnections?: number });
  /** Listens; resolves with the port. */
  start(): Promise<number>;
  readonly port: number;
  /** postgresql://postgres@host:port/postgres */
  readonly url: string;
  stop(): Promise<void>;
}
