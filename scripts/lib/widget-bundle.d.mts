// Types for widget-bundle.mjs (used by scripts/build-widget.mjs and tests/unit/widget-size.test.ts).
export declare const WIDGET_ENTRY: string;
export declare const WIDGET_OUTPUT: string;
export declare const WIDGET_BANNER: string;
export declare function bundleWidget(): Promise<string>;
