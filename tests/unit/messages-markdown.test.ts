// The organizer message's Markdown subset → Telegram HTML (lib/messages/markdown.ts): the subset is
// rendered, everything else — hostile markup included — arrives as text, and the output is always
// valid Telegram HTML (checkTelegramHtml).
import { describe, expect, test } from "vitest";
import { checkTelegramHtml } from "@/lib/notifications/render";
import { isSafeLinkUrl, markdownToTelegramHtml as md } from "@/lib/messages/markdown";

describe("markdownToTelegramHtml", () => {
  test("the subset: paragraphs, line breaks, bold, italic, links, code, lists", () => {
    expect(md("Hello **world**")).toBe("Hello <b>world</b>");
    expect(md("_one_ and *two*")).toBe("<i>one</i> and <i>two</i>");
    expect(md("a\nb\n\n\nc")).toBe("a\nb\n\nc");
    expect(md("see [the site](https://example.test/x?a=1&b=2)")).toBe('see <a href="https://example.test/x?a=1&amp;b=2">the site</a>');
    expect(md("[mail](mailto:a@example.test)")).toBe('<a href="mailto:a@example.test">mail</a>');
    expect(md("run `npm <i>`")).toBe("run <code>npm &lt;i&gt;</code>");
    expect(md("- one\n* two\n+ three")).toBe("• one\n• two\n• three");
    expect(md("1. first\n2) second")).toBe("1. first\n2. second");
    expect(md("**bold _and italic_**")).toBe("<b>bold <i>and italic</i></b>");
    expect(md("snake_case_name and 2*3*4")).toBe("snake_case_name and 2*3*4");
    expect(md("\r\n  \r\n")).toBe("");
  });

  test("hostile input arrives as text", () => {
    expect(md("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(md('<b onclick="x()">hi</b>')).toBe("&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt;");
    expect(md("[x](javascript:alert(1))")).toBe("[x](javascript:alert(1))");
    expect(md('[x](https://a.test/"onmouseover="y)')).not.toContain("<a");
    expect(md("[x](data:text/html;base64,xx)")).not.toContain("<a");
    expect(md("&amp; &lt; &#x3c;")).toBe("&amp;amp; &amp;lt; &amp;#x3c;");
    expect(md("a\u0001b\u0000c")).toBe("abc");
    expect(md("**[link **bold**](https://a.test)**")).not.toMatch(/<b>[^<]*<b>/);
  });

  test("isSafeLinkUrl: http, https, mailto only", () => {
    expect(isSafeLinkUrl("https://example.test")).toBe(true);
    expect(isSafeLinkUrl("http://example.test/a")).toBe(true);
    expect(isSafeLinkUrl("mailto:a@b.test")).toBe(true);
    for (const bad of ["javascript:alert(1)", "ftp://x.test", "tg://resolve?domain=x", "https://", "//example.test", "mailto:", "vbscript:x"]) {
      expect(isSafeLinkUrl(bad), bad).toBe(false);
    }
  });

  test("the output is valid Telegram HTML for any input (fuzz over the subset's characters)", () => {
    const alphabet = ["*", "**", "_", "`", "[", "]", "(", ")", "https://a.test", "<", ">", "&", '"', "\n", "\n\n", "- ", "1. ", "a", " ", "b", "<b>", "</i>"];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 3000; n++) {
      const input = Array.from({ length: 1 + Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const html = md(input);
      expect(checkTelegramHtml(html), `${JSON.stringify(input)} → ${JSON.stringify(html)}`).toEqual([]);
      expect(html).not.toMatch(/<(?!\/?(b|i|a|code)[ >])/);
    }
  });
});
