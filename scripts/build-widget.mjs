#!/usr/bin/env node
// npm run build:widget — bundles the embeddable widget (widget/src) into public/widget.js (committed;
// tests/unit/widget-size.test.ts checks that it matches the source). Run it after changing widget/src.
import fs from "node:fs";
import zlib from "node:zlib";
import { WIDGET_OUTPUT, bundleWidget } from "./lib/widget-bundle.mjs";

const text = await bundleWidget();
fs.writeFileSync(WIDGET_OUTPUT, text);
const gz = zlib.gzipSync(Buffer.from(text), { level: 9 }).length;
console.log(`public/widget.js: ${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped`);
