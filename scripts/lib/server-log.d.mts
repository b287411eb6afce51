/** The lines of `text` that report an error (scripts/lib/server-log.mjs). */
export declare function errorLines(text: string): string[];
