// @vitest-environment jsdom
// (jsdom parses the rendered HTML the way a browser would.)
import { describe, expect, it } from "vitest";
import { isSafeLinkTarget, renderMarkdown } from "@/lib/events/markdown";

/** Parses the rendered HTML the way a browser would and lists what could run script. */
function dangers(html: string): string[] {
  const document = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const found: string[] = [];
  for (const el of document.body.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["script", "iframe", "object", "embed", "style", "img", "svg", "form", "input", "link", "meta", "base"].includes(tag)) found.push(`<${tag}>`);
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`${tag}[${attr.name}]`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(attr.name) && !/^(https?:|mailto:)/i.test(attr.value.trim())) {
        found.push(`${tag}[${attr.name}=${attr.value}]`);
      }
      if (attr.name === "style") found.push(`${tag}[style]`);
    }
  }
  return found;
}

describe("renderMarkdown", () => {
  it("renders ordinary Markdown", () => {
    const html = renderMarkdown("# Title\n\nSome **bold** and _italic_ text.\n\n- one\n- two\n\n> quote\n\n`code`");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>italic</em>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<blockquote>");
    expect(html).toContain("<code>code</code>");
  });

  it("returns an empty string for empty input", () => {
    expect(renderMarkdown("")).toBe("");
    expect(renderMarkdown("   \n ")).toBe("");
    expect(renderMarkdown(null)).toBe("");
    expect(renderMarkdown(undefined)).toBe("");
  });

  it("escapes raw HTML instead of passing it through", () => {
    const attacks = [
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      '<a href="javascript:alert(1)">x</a>',
      "<iframe src=https://evil.example></iframe>",
      "<svg onload=alert(1)>",
      '<div style="background:url(javascript:alert(1))">x</div>',
      "Text <b onmouseover=alert(1)>hover</b> more",
      "<scr<script>ipt>alert(1)</script>",
      "<!-- comment --><style>body{display:none}</style>",
    ];
    for (const attack of attacks) {
      const html = renderMarkdown(attack);
      expect(dangers(html), attack).toEqual([]);
      expect(html).not.toMatch(/<(script|img|iframe|svg|style|div|b)\b/i);
    }
    expect(renderMarkdown("<script>alert(1)</script>")).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("refuses dangerous link targets", () => {
    const attacks = [
      "[click](javascript:alert(1))",
      "[click](JaVaScRiPt:alert(1))",
      "[click](java\tscript:alert(1))",
      "[click](&#106;avascript:alert(1))",
      "[click](javascript&#58;alert(1))",
      "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "[click](vbscript:msgbox(1))",
      "[click](file:///etc/passwd)",
      "[click](/relative/path)",
      "[click](//evil.example/x)",
      '[click](https://ok.example "title" onclick=alert(1))',
      "<javascript:alert(1)>",
      "[ref]\n\n[ref]: javascript:alert(1)",
    ];
    for (const attack of attacks) {
      const html = renderMarkdown(attack);
      expect(dangers(html), attack).toEqual([]);
      expect(html.toLowerCase(), attack).not.toMatch(/href="(?!https?:|mailto:)/);
    }
  });

  it("does not render images (no tracking pixels, no onerror)", () => {
    const html = renderMarkdown('![x](https://evil.example/pixel.png "t")\n\n![x" onerror="alert(1)](https://a.example/a.png)');
    expect(dangers(html)).toEqual([]);
    expect(html).not.toContain("<img");
  });

  it("keeps http(s) and mailto links, with nofollow noopener and a new tab", () => {
    const html = renderMarkdown("[site](https://example.com/a?b=1&c=2) [mail](mailto:team@example.com) and http://plain.example.org");
    const document = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    const links = [...document.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://example.com/a?b=1&c=2", "mailto:team@example.com", "http://plain.example.org"]);
    for (const a of links) {
      expect(a.getAttribute("rel")).toBe("nofollow noopener noreferrer ugc");
      expect(a.getAttribute("target")).toBe("_blank");
    }
    expect(dangers(html)).toEqual([]);
  });

  it("escapes attribute breakouts inside link text and titles", () => {
    const html = renderMarkdown('[a"><script>alert(1)</script>](https://example.com "x\\"onmouseover=alert(1)")');
    expect(dangers(html)).toEqual([]);
    expect(html).not.toContain("<script>");
  });

  it("keeps Cyrillic text and line breaks", () => {
    expect(renderMarkdown("Привет,\nмир")).toBe("<p>Привет,<br>\nмир</p>\n");
  });
});

describe("isSafeLinkTarget", () => {
  it("accepts only absolute http, https and mailto URLs", () => {
    expect(isSafeLinkTarget("https://example.com")).toBe(true);
    expect(isSafeLinkTarget("http://example.com/x")).toBe(true);
    expect(isSafeLinkTarget("mailto:a@b.example")).toBe(true);
    expect(isSafeLinkTarget("javascript:alert(1)")).toBe(false);
    expect(isSafeLinkTarget(" java\nscript:alert(1)")).toBe(false);
    expect(isSafeLinkTarget("data:text/html,x")).toBe(false);
    expect(isSafeLinkTarget("/relative")).toBe(false);
    expect(isSafeLinkTarget("ftp://example.com")).toBe(false);
  });
});
