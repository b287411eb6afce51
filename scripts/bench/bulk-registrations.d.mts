// Types for bulk-registrations.mjs (imported by the tests).
export declare const CODE_ALPHABET: string;
export declare const FIRST_NAMES: readonly string[];
export declare const LAST_NAMES: readonly string[];
export declare function insertBulkRegistrations(
  client: { query: (text: string, values?: unknown[]) => Promise<unknown> },
  options: { organizationId: string; eventId: string; ticketTypeIds: string[]; count: number; offset?: number },
): Promise<void>;
