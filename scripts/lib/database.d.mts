// Types for the parts of database.mjs that TypeScript code uses (tests/helpers, tests/integration).
export declare const EMBEDDED_DEFAULTS: { dir: string; port: number; maxConnections: number; database: string };

export type EmbeddedServer = {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  pid: number;
  startedInMs: number;
  /** Resolves with the exit code of scripts/embedded-db.mjs. */
  exited: Promise<number>;
  stop(): Promise<void>;
};

export declare function startEmbeddedDatabase(options: {
  dir: string;
  port: number;
  maxConnections?: number;
  fast?: boolean;
  timeoutMs?: number;
}): Promise<EmbeddedServer>;

export declare function withDatabase(url: string, database: string): string;
export declare function describeUrl(url: string): string;

export type ToolDatabase = { url: string; embedded: boolean; stop(): Promise<void> };
/** DATABASE_URL, else the embedded database (of the running npm start, or started for the tool). */
export declare function toolDatabase(): Promise<ToolDatabase>;
/** Applies pending migrations (prisma migrate deploy); ends the process when that fails. */
export declare function migrateDatabase(url: string): Promise<void>;
