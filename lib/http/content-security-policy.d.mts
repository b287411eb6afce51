// Types for content-security-policy.mjs (used by scripts/server.mjs and the tests).

export declare const UPLOAD_IMAGE_SOURCES: readonly string[];
export declare function newNonce(): string;
export declare function contentSecurityPolicy(options?: { scriptSources?: string[]; https?: boolean; telegramWidget?: boolean; inlineStyles?: boolean }): string;
/** Whether the page at this request URL gets inline stylesheets (the API reference, /docs/api). */
export declare function allowsInlineStyles(url: string | undefined): boolean;
export declare function nonceRequestPolicy(nonce: string): string;
export declare function inlineScriptHashes(html: string): string[];
