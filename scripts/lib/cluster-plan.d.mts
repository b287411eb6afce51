// Types for cluster-plan.mjs (imported by the tests; the supervisor itself is plain JavaScript).
export declare const DEFAULT_CONNECTION_BUDGET: number;
export declare const DEFAULT_MAX_POOL: number;
export declare const DEDICATED_CONNECTIONS: number;
export declare function webConcurrency(env?: Record<string, string | undefined>, cores?: number): number;
export declare function poolPlan(options: { webProcesses: number; worker?: boolean; env?: Record<string, string | undefined> }): {
  poolSize: number;
  processes: number;
  budget: number;
  total: number;
};
export declare function createRestartPolicy(options?: { baseMs?: number; maxMs?: number; windowMs?: number; maxCrashes?: number }): {
  crashed(now?: number): number | null;
  readonly recentCrashes: number;
};
