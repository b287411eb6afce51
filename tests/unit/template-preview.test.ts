// The template preview: Telegram HTML is parsed into a tree and rendered with React elements, so
// values and template text are escaped, only Telegram's tags become formatting, and links only open
// safe URLs. Also: sample values and the rendering path the editor uses.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { sampleValues } from "@/components/notifications/sample-values";
import { decodeTelegramEntities, parseTelegramHtml, safePreviewHref, telegramPlainText } from "@/components/notifications/telegram-html";
import { TelegramMessagePreview } from "@/components/notifications/telegram-preview";
import { renderTemplate } from "@/lib/notifications/render";
import { SYSTEM_TEMPLATES } from "@/lib/notifications/system-templates";

/** The preview bubble's inner HTML as React renders it. */
function preview(html: string): string {
  const markup = renderToStaticMarkup(createElement(TelegramMessagePreview, { html, emptyText: "EMPTY" }));
  const inner = /data-testid="telegram-preview">([\s\S]*)<\/div><\/div>$/.exec(markup);
  if (!inner) throw new Error(`unexpected markup: ${markup}`);
  return inner[1];
}

describe("parseTelegramHtml", () => {
  test("text and entities", () => {
    expect(parseTelegramHtml("a &lt;b&gt; &amp; &quot;c&quot; &#128512; &#x41;")).toEqual([{ type: "text", text: 'a <b> & "c" 😀 A' }]);
    // Entities Telegram does not know stay as written.
    expect(decodeTelegramEntities("&nbsp; &copy; &#0; &#xD800;")).toBe("&nbsp; &copy; &#0; &#xD800;");
  });

  test("Telegram's tags become formatting nodes, synonyms included", () => {
    const tree = parseTelegramHtml("<b>1</b><strong>2</strong><i>3</i><em>4</em><u>5</u><ins>6</ins><s>7</s><strike>8</strike><del>9</del>");
    expect(tree.map((n) => (n.type === "format" ? n.format : n.type))).toEqual([
      "bold",
      "bold",
      "italic",
      "italic",
      "underline",
      "underline",
      "strike",
      "strike",
      "strike",
    ]);
    expect(parseTelegramHtml('<tg-spoiler>x</tg-spoiler><span class="tg-spoiler">y</span>').map((n) => n.type === "format" && n.format)).toEqual([
      "spoiler",
      "spoiler",
    ]);
    expect(parseTelegramHtml('<pre><code class="language-js">let a = 1;</code></pre><blockquote expandable>q</blockquote>')).toEqual([
      { type: "format", format: "pre", children: [{ type: "format", format: "code", children: [{ type: "text", text: "let a = 1;" }] }] },
      { type: "format", format: "blockquote", children: [{ type: "text", text: "q" }] },
    ]);
  });

  test("nesting, and tags left open are closed at the end", () => {
    expect(parseTelegramHtml("<b>bold <i>both</i></b> plain <u>open")).toEqual([
      { type: "format", format: "bold", children: [{ type: "text", text: "bold " }, { type: "format", format: "italic", children: [{ type: "text", text: "both" }] }] },
      { type: "text", text: " plain " },
      { type: "format", format: "underline", children: [{ type: "text", text: "open" }] },
    ]);
  });

  test("unknown tags, stray < and unmatched closing tags are shown literally", () => {
    expect(telegramPlainText(parseTelegramHtml("<script>alert(1)</script>"))).toBe("<script>alert(1)</script>");
    expect(telegramPlainText(parseTelegramHtml('<img src=x onerror="alert(1)">'))).toBe('<img src=x onerror="alert(1)">');
    expect(telegramPlainText(parseTelegramHtml("1 < 2 and </b> alone"))).toBe("1 < 2 and </b> alone");
    expect(parseTelegramHtml('<span style="color:red">x</span>')).toEqual([{ type: "text", text: '<span style="color:red">x</span>' }]);
  });

  test("links keep only safe URLs; attribute entities are decoded", () => {
    expect(parseTelegramHtml('<a href="https://example.org/?a=1&amp;b=2">go</a>')).toEqual([
      { type: "link", href: "https://example.org/?a=1&b=2", children: [{ type: "text", text: "go" }] },
    ]);
    expect(parseTelegramHtml('<a href="javascript:alert(1)">x</a>')[0]).toMatchObject({ type: "link", href: null });
    expect(safePreviewHref("tg://resolve?domain=aqstream_bot")).toBe("tg://resolve?domain=aqstream_bot");
    expect(safePreviewHref("mailto:a@b.org")).toBe("mailto:a@b.org");
    for (const bad of ["JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<b>", "/relative", "//evil.example", "vbscript:x", ""]) {
      expect(safePreviewHref(bad), bad).toBeNull();
    }
  });

  test("tg-emoji shows its fallback text", () => {
    expect(telegramPlainText(parseTelegramHtml('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> ok'))).toBe("👍 ok");
  });
});

describe("TelegramMessagePreview (rendered markup)", () => {
  test("allowed tags become the matching elements", () => {
    expect(preview("<b>B</b> <i>I</i> <u>U</u> <s>S</s> <code>C</code>")).toBe(
      '<strong>B</strong> <em>I</em> <u>U</u> <s>S</s> <code class="rounded bg-slate-100 px-1 font-mono text-[0.9em] text-rose-700">C</code>',
    );
  });

  test("links open in a new tab without opener; unsafe ones are not links", () => {
    const html = preview('<a href="https://aqstream.example/e?x=1&amp;y=2">event</a> <a href="javascript:alert(1)">bad</a>');
    expect(html).toContain('<a href="https://aqstream.example/e?x=1&amp;y=2" target="_blank" rel="noopener noreferrer nofollow"');
    expect(html).not.toContain("javascript:");
    expect(html).toContain("data-unsafe-link");
  });

  test("markup that is not Telegram's is escaped text, never HTML", () => {
    const html = preview('<script>alert(1)</script><img src=x onerror="alert(1)"><div onclick="x">d</div>');
    expect(html).not.toMatch(/<script|<img|<div/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  test("a hostile value rendered by the template engine stays text", () => {
    const rendered = renderTemplate("Привет, <b>{firstName}</b>!", { firstName: '<b>_*[x](y)</b><script>alert("x")</script>' });
    const html = preview(rendered);
    expect(html).toBe('Привет, <strong>&lt;b&gt;_*[x](y)&lt;/b&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</strong>!');
  });

  test("bare URLs become links as in Telegram, but not inside code or an existing link", () => {
    const html = preview("Кабинет: https://aqstream.example/dashboard. <code>https://x.example</code> <a href=\"https://y.example\">https://y.example</a>");
    expect(html).toContain('Кабинет: <a href="https://aqstream.example/dashboard" target="_blank" rel="noopener noreferrer nofollow"');
    expect(html).toContain(">https://aqstream.example/dashboard</a>.");
    expect(html).toContain(">https://x.example</code>");
    expect(html.match(/<a /g)).toHaveLength(2);
    expect(preview("javascript:alert(1) http://")).toBe("javascript:alert(1) http://");
  });

  test("an empty message shows the placeholder", () => {
    expect(preview("  ")).toContain("EMPTY");
  });
});

describe("sample values", () => {
  test("every documented variable of every system template has a sample in both languages", () => {
    for (const template of SYSTEM_TEMPLATES) {
      const names = template.variables.map((v) => v.name);
      for (const locale of ["ru", "en"] as const) {
        const values = sampleValues(names, locale);
        for (const name of names) expect(values[name], `${template.code}.${name} (${locale})`).not.toMatch(/^‹/);
      }
    }
  });

  test("every system template previews without leftovers, with and without the optional blocks", () => {
    for (const template of SYSTEM_TEMPLATES) {
      const names = template.variables.map((v) => v.name);
      for (const optional of [true, false]) {
        for (const [body, locale] of [
          [template.body, "ru"],
          [template.bodyEn, "en"],
        ] as const) {
          const rendered = renderTemplate(body, sampleValues(names, locale, { optional }), locale === "en" ? "EN" : "RU");
          const text = telegramPlainText(parseTelegramHtml(rendered));
          expect(text, template.code).not.toMatch(/[<>]|\{\{|&(?:lt|gt|amp|quot);/);
          expect(text.length, template.code).toBeGreaterThan(20);
        }
      }
    }
  });

  test("with optional blocks hidden, an optional part disappears", () => {
    const body = "Hi {firstName}{cancellationReason, select, empty {} other {, reason: {cancellationReason}}}";
    expect(renderTemplate(body, sampleValues(["firstName", "cancellationReason"], "en"))).toBe("Hi Anna, reason: The speaker is ill");
    expect(renderTemplate(body, sampleValues(["firstName", "cancellationReason"], "en", { optional: false }))).toBe("Hi Anna");
  });
});
