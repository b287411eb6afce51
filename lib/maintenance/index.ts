// Public API of the maintenance area: the retention sweep the worker runs.
import "server-only";

export { purgeStaleRows, RETENTION, type CleanupResult } from "./cleanup";
