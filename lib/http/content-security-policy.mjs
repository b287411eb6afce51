// The Content-Security-Policy of every HTML page (docs/architecture.md → Security headers). Plain
// ESM without dependencies: the production server (scripts/server.mjs) sets the header per response,
// and the tests read the same rules.
//
// Scripts: 'self' (Next's chunks, loaded as files) plus exactly the page's inline scripts, allowed by
//   - their SHA-256 hashes when the page is answered in one piece (cached ISR/static pages: the
//     hashes are taken from the HTML actually sent, so they always match, and the page stays cached);
//   - a per-request nonce when the page is streamed (rendered per request anyway: Next reads the
//     nonce from the request's Content-Security-Policy header and puts it on its scripts).
// No 'unsafe-inline' for scripts anywhere. With a Telegram bot configured, the sign-in pages may load
// Telegram's Login Widget (components/telegram/telegram-login-panel.tsx): then every page allows
// telegram.org's script, its oauth.telegram.org frame and 'unsafe-eval' (the widget's script runs the
// data-onauth callback through eval). Every page, not only /login: a client-side navigation keeps the
// policy of the document it started in.
import { createHash, randomBytes } from "node:crypto";

/** Hosts uploaded images are served from when UploadThing stores them (lib/media/storage.ts). */
export const UPLOAD_IMAGE_SOURCES = ["https://*.ufs.sh", "https://utfs.io"];

/** A fresh nonce for one response (128 random bits). */
export function newNonce() {
  return randomBytes(16).toString("base64");
}

/**
 * Pages whose policy also allows inline stylesheets: the interactive API reference (/docs/api, before
 * proxy.ts adds the locale; also /<locale>/docs/api). Its script (Scalar, served by the app itself from
 * /api/docs/scalar.js) writes its stylesheet into <style> elements at run time, which no hash or nonce
 * can name. Scripts stay as strict as everywhere else. See docs/api.md → "The reference page".
 */
const INLINE_STYLE_PAGES = /^\/(?:(?:ru|en)\/)?docs\/api\/?(?:[?#].*)?$/;

/** Whether the page at this request URL (path + query) gets `style-src 'unsafe-inline'`. */
export function allowsInlineStyles(url) {
  return typeof url === "string" && INLINE_STYLE_PAGES.test(url);
}

/**
 * The policy. `scriptSources`: the nonce or the hashes of the inline scripts ("'nonce-…'",
 * "'sha256-…'"). `https`: the page is served over https (then http subresources are upgraded).
 * `telegramWidget`: Telegram's Login Widget may be shown (a bot is configured).
 * `inlineStyles`: the page writes <style> elements at run time (allowsInlineStyles).
 */
export function contentSecurityPolicy({ scriptSources = [], https = false, telegramWidget = false, inlineStyles = false } = {}) {
  const scripts = ["'self'", ...scriptSources];
  if (telegramWidget) scripts.push("https://telegram.org", "'unsafe-eval'");
  return [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    // Stylesheets are files; React writes a few style="" attributes (sizes, progress bars).
    inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    `img-src 'self' data: blob: ${UPLOAD_IMAGE_SOURCES.join(" ")}`,
    "font-src 'self'",
    "connect-src 'self'",
    // The scanner shows the camera stream (getUserMedia) in a <video>.
    "media-src 'self' blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    `frame-src ${telegramWidget ? "https://oauth.telegram.org" : "'none'"}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The policy Next reads the nonce from (request header): only its script-src matters there. */
export function nonceRequestPolicy(nonce) {
  return `script-src 'self' 'nonce-${nonce}'`;
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const SRC_ATTRIBUTE = /(?:^|\s)src\s*=/i;
const TYPE_ATTRIBUTE = /(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const JAVASCRIPT_TYPES = new Set(["", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"]);

/**
 * "'sha256-…'" of every inline script of `html` that a browser would run (no src, a JavaScript
 * type; JSON-LD and other data blocks need none), in order, without duplicates. The hash is over the
 * text as the browser sees it (line breaks normalised to \n, as the HTML parser does).
 */
export function inlineScriptHashes(html) {
  const hashes = [];
  const seen = new Set();
  for (const match of html.matchAll(SCRIPT)) {
    const attributes = match[1];
    if (SRC_ATTRIBUTE.test(attributes)) continue;
    const type = TYPE_ATTRIBUTE.exec(attributes);
    if (type && !JAVASCRIPT_TYPES.has((type[1] ?? type[2] ?? type[3]).trim().toLowerCase())) continue;
    const text = match[2].replace(/\r\n?/g, "\n");
    const source = `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
    if (!seen.has(source)) {
      seen.add(source);
      hashes.push(source);
    }
  }
  return hashes;
}
