// The embeddable widget's bundle (docs/widget.md): public/widget.js is committed; it must be exactly what
// widget/src builds to now (else: `npm run build:widget`), and at most 30 KiB gzipped.
import fs from "node:fs";
import zlib from "node:zlib";
import { describe, expect, test } from "vitest";
import { WIDGET_BANNER, WIDGET_OUTPUT, bundleWidget } from "@/scripts/lib/widget-bundle.mjs";

describe("public/widget.js", () => {
  test("is the bundle of the current widget/src (run `npm run build:widget` after changing it)", async () => {
    const built = await bundleWidget();
    const committed = fs.readFileSync(WIDGET_OUTPUT, "utf8");
    expect(committed.startsWith(WIDGET_BANNER)).toBe(true);
    // Compared by length first: a readable failure instead of two 18 KB strings.
    expect(committed.length, "public/widget.js differs from widget/src: run npm run build:widget").toBe(built.length);
    expect(committed === built, "public/widget.js differs from widget/src: run npm run build:widget").toBe(true);
  });

  test("is at most 30 KiB gzipped, built from the current source", async () => {
    const built = Buffer.from(await bundleWidget());
    const gzipped = zlib.gzipSync(built, { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(1024); // it is the real widget, not an empty file
    expect(gzipped).toBeLessThanOrEqual(30 * 1024);
  });
});
