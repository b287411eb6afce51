// Types for the parts of app-env.mjs that TypeScript code uses (scripts/admin-create.ts).
/** Loads .env, .env.local, .env.production / .env.development into process.env (set variables win). */
export declare function loadDotEnv(options: { dev: boolean }): void;
/** AUTH_SECRET from the environment, else the one kept in .data/auth-secret (generated once) — scripts/payments-rotate-keys.ts. */
export declare function ensureAuthSecret(): string;
