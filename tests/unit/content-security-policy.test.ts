// The Content-Security-Policy of HTML pages (lib/http/content-security-policy.mjs) and how the production
// server attaches it (scripts/server.mjs createContentSecurityPolicy): hashes for a page answered in one
// piece, the request's nonce for a streamed one, nothing for other responses and 304s, and the hashes
// always of the uncompressed page.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import compression from "compression";
import { afterAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy, inlineScriptHashes, newNonce, nonceRequestPolicy } from "@/lib/http/content-security-policy.mjs";
import { createContentSecurityPolicy } from "@/scripts/server.mjs";

const sha = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

const PAGE = [
  "<!DOCTYPE html><html><head>",
  '<script src="/_next/static/chunks/a.js" async=""></script>',
  '<script type="application/ld+json">{"@type":"Event"}</script>',
  `</head><body><p>${"Привет, мир. ".repeat(200)}</p>`,
  '<script id="_R_">(globalThis.TURBOPACK||(globalThis.TURBOPACK=[])).push({})</script>',
  "<script>(self.__next_f=self.__next_f||[]).push([0])</script>",
  '<script>self.__next_f.push([1,"0:{\\"a\\":\\"ё\\"}\\n"])</script>',
  "<script type='module'>import('/x.js')</script>",
  '<script type="text/javascript">one()\r\ntwo()</script>',
  "<script>(self.__next_f=self.__next_f||[]).push([0])</script>",
  "</body></html>",
].join("");

describe("inlineScriptHashes", () => {
  it("hashes exactly the inline scripts a browser runs, in order, once each", () => {
    expect(inlineScriptHashes(PAGE)).toEqual([
      sha("(globalThis.TURBOPACK||(globalThis.TURBOPACK=[])).push({})"),
      sha("(self.__next_f=self.__next_f||[]).push([0])"),
      sha('self.__next_f.push([1,"0:{\\"a\\":\\"ё\\"}\\n"])'),
      sha("import('/x.js')"),
      // The HTML parser turns CRLF into LF before the browser hashes the text.
      sha("one()\ntwo()"),
    ]);
  });

  it("has nothing to hash in a page without inline scripts", () => {
    expect(inlineScriptHashes('<html><script src="/a.js"></script><script type="application/json">{}</script></html>')).toEqual([]);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows the app's own files, the given inline scripts and nothing inline otherwise", () => {
    const policy = contentSecurityPolicy({ scriptSources: ["'sha256-abc='"] });
    const directives = Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives["script-src"]).toBe("'self' 'sha256-abc='");
    expect(directives["default-src"]).toBe("'self'");
    expect(directives["object-src"]).toBe("'none'");
    expect(directives["base-uri"]).toBe("'self'");
    expect(directives["form-action"]).toBe("'self'");
    expect(directives["frame-ancestors"]).toBe("'none'");
    expect(directives["frame-src"]).toBe("'none'");
    expect(directives["connect-src"]).toBe("'self'");
    expect(directives["img-src"]).toBe("'self' data: blob: https://*.ufs.sh https://utfs.io");
    expect(directives["style-src"]).toBe("'self'");
    expect(policy).not.toContain("unsafe-inline'; script");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("https upgrades subresources; a configured Telegram bot allows its Login Widget", () => {
    expect(contentSecurityPolicy({ https: true })).toMatch(/; upgrade-insecure-requests$/);
    const telegram = contentSecurityPolicy({ scriptSources: ["'nonce-n'"], telegramWidget: true });
    expect(telegram).toContain("script-src 'self' 'nonce-n' https://telegram.org 'unsafe-eval'");
    expect(telegram).toContain("frame-src https://oauth.telegram.org");
  });

  it("makes a fresh 128-bit nonce each time, in the form Next reads", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
    expect(nonceRequestPolicy(a)).toBe(`script-src 'self' 'nonce-${a}'`);
  });
});

describe("the server's policy per response", () => {
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  /** A server as scripts/server.mjs wires it: compression, then the policy, then the "app". */
  async function serve(app: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<string> {
    const apply = createContentSecurityPolicy();
    const compress = compression();
    const server = http.createServer((req, res) => {
      compress(req as never, res as never, () => {
        apply(req, res, { https: false });
        app(req, res);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const seen: { nonceHeader?: string } = {};
  const base = serve((req, res) => {
    seen.nonceHeader = req.headers["content-security-policy"] as string | undefined;
    if (req.url === "/cached") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.setHeader("etag", '"v1"');
      res.end(PAGE);
    } else if (req.url === "/streamed") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.write("<html><body><script nonce=x>a()</script>");
      setTimeout(() => res.end("</body></html>"), 5);
    } else if (req.url === "/written-head") {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html></html>");
    } else if (req.url === "/json") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true }));
    } else {
      res.statusCode = 304;
      res.setHeader("content-type", "text/html");
      res.end();
    }
  });

  it("a page answered in one piece: the hashes of its inline scripts, also when compressed", async () => {
    const url = await base;
    for (const encoding of ["identity", "gzip", "br"]) {
      const response = await new Promise<http.IncomingMessage>((resolve) => http.get(`${url}/cached`, { headers: { "accept-encoding": encoding } }, resolve));
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const body =
        response.headers["content-encoding"] === "gzip"
          ? zlib.gunzipSync(raw)
          : response.headers["content-encoding"] === "br"
            ? zlib.brotliDecompressSync(raw)
            : raw;
      expect(response.headers["content-encoding"] ?? "identity", encoding).toBe(encoding);
      expect(body.toString("utf8")).toBe(PAGE);
      expect(response.headers["content-security-policy"]).toBe(contentSecurityPolicy({ scriptSources: inlineScriptHashes(PAGE) }));
    }
  });

  it("a streamed page: the nonce the request carried to the app", async () => {
    const response = await fetch(`${await base}/streamed`, { headers: { "content-security-policy": "script-src 'nonce-chosen-by-client'" } });
    await response.text();
    const nonce = /'nonce-([^']+)'/.exec(seen.nonceHeader ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(nonce).not.toBe("chosen-by-client");
    expect(response.headers.get("content-security-policy")).toBe(contentSecurityPolicy({ scriptSources: [`'nonce-${nonce}'`] }));
  });

  it("writeHead with the type in its headers is a page too; JSON and 304 get no policy", async () => {
    const url = await base;
    expect((await fetch(`${url}/written-head`)).headers.get("content-security-policy")).toContain("'nonce-");
    expect((await fetch(`${url}/json`)).headers.get("content-security-policy")).toBeNull();
    const notModified = await new Promise<http.IncomingMessage>((resolve) => http.get(`${url}/not-modified`, resolve));
    notModified.resume();
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers["content-security-policy"]).toBeUndefined();
  });
});
