// The embeddable widget's bundle (docs/widget.md): widget/src/index.ts → one minified IIFE, no
// dependencies. public/widget.js is this output, committed (so `npm start`, the Docker image and the
// e2e server serve it without a build step); tests/unit/widget-size.test.ts builds it again from the
// current source and fails when the committed file differs, or when it is over 30 KiB gzipped.
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..", "..");

export const WIDGET_ENTRY = path.join(root, "widget", "src", "index.ts");
export const WIDGET_OUTPUT = path.join(root, "public", "widget.js");
export const WIDGET_BANNER = "/*! AqStream registration widget — built from widget/src by `npm run build:widget`; do not edit. */";

/** The bundle's text (deterministic: the same source gives the same bytes). */
export async function bundleWidget() {
  const result = await build({
    entryPoints: [WIDGET_ENTRY],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020", "chrome90", "safari15", "firefox90"],
    platform: "browser",
    legalComments: "none",
    banner: { js: WIDGET_BANNER },
    charset: "utf8",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
