// The email form of a notice (lib/notifications/email): Telegram HTML → email HTML and plain text,
// the React Email layout, subjects, and the .ics invite.
import { describe, expect, test } from "vitest";
import {
  decodeEntities,
  oneLineSubject,
  renderNoticeEmail,
  renderNoticePreview,
  safeLinkHref,
  subjectFromRendered,
  telegramHtmlToEmailHtml,
  telegramHtmlToText,
} from "@/lib/notifications/email";
import { buildIcs, foldIcsLine, icsDate, icsText } from "@/lib/notifications/email/ics";
import { renderTemplate } from "@/lib/notifications/render";

const NAME = `<script>alert(1)</script> & "x"`;

describe("telegramHtmlToEmailHtml", () => {
  test("keeps the allowed tags as email tags, paragraphs and line breaks", () => {
    const html = telegramHtmlToEmailHtml("<b>Hi</b> <i>there</i>\nline <u>u</u> <s>s</s> <code>c</code>\n\nnext <strong>p</strong> <em>e</em> <ins>i</ins> <del>d</del> <strike>k</strike>");
    expect(html).toBe(
      '<div style="margin:0 0 16px"><strong>Hi</strong> <em>there</em><br>line <u style="text-decoration:underline">u</u> <s style="text-decoration:line-through">s</s> ' +
        '<code style="font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:14px;background:#f1f5f9;border-radius:4px;padding:1px 4px">c</code></div>' +
        '<div style="margin:0 0 16px">next <strong>p</strong> <em>e</em> <u style="text-decoration:underline">i</u> <s style="text-decoration:line-through">d</s> <s style="text-decoration:line-through">k</s></div>',
    );
  });

  test("an inline tag across a paragraph break is closed and reopened", () => {
    expect(telegramHtmlToEmailHtml("<b>one\n\ntwo</b>")).toBe('<div style="margin:0 0 16px"><strong>one</strong></div><div style="margin:0 0 16px"><strong>two</strong></div>');
  });

  test("pre keeps its newlines; a quote stays one block", () => {
    const html = telegramHtmlToEmailHtml("before\n<pre>a\n\nb &lt;x&gt;</pre>\n<blockquote>q1\n\nq2</blockquote>\nafter");
    expect(html).toContain(">a\n\nb &lt;x&gt;</pre>");
    expect(html).toContain(">q1<br><br>q2</blockquote>");
    expect(html).toMatch(/^<div style="margin:0 0 16px">before<pre /);
    expect(html).toMatch(/<\/blockquote>after<\/div>$/);
  });

  test("<script>, other tags and stray characters are escaped", () => {
    const html = telegramHtmlToEmailHtml(`<script>alert(1)</script><img src=x onerror=alert(1)><div>d</div> a > b & c "q"`);
    expect(html).not.toMatch(/<script|<img|<div>d/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&lt;div&gt;d&lt;/div&gt; a &gt; b &amp; c &quot;q&quot;");
  });

  test("escaped values stay escaped (entities are kept, not decoded)", () => {
    const rendered = renderTemplate("Hi, <b>{name}</b>!", { name: NAME });
    const html = telegramHtmlToEmailHtml(rendered);
    expect(html).toContain("<strong>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</strong>");
    expect(html).not.toContain("<script>");
  });

  test("javascript:, data: and relative links lose their tag, the text stays; safe schemes are kept", () => {
    for (const href of ["javascript:alert(1)", "JavaScript:alert(1)", "java&#x09;script:alert(1)", " javascript:alert(1)", "data:text/html,x", "/relative", "vbscript:x"]) {
      const html = telegramHtmlToEmailHtml(`<a href="${href}">click</a>`);
      expect(html, href).toBe('<div style="margin:0 0 16px">click</div>');
    }
    for (const href of ["https://example.test/a?b=1&amp;c=2", "http://x.test", "mailto:a@b.test", "tg://resolve?domain=aq"]) {
      expect(telegramHtmlToEmailHtml(`<a href="${href}">x</a>`), href).toMatch(/^<div style="margin:0 0 16px"><a href="[^"]+" style=/);
    }
    expect(telegramHtmlToEmailHtml('<a href="https://e.test/?a=1&amp;b=&quot;2&quot;">x</a>')).toContain('href="https://e.test/?a=1&amp;b=&quot;2&quot;"');
  });

  test("an attribute cannot be smuggled into a link", () => {
    const html = telegramHtmlToEmailHtml(`<a href="https://e.test/" onclick="alert(1)">x</a>`);
    expect(html).not.toContain("onclick");
  });

  test("unclosed tags are closed, stray closing tags dropped, spoilers shown as marked text", () => {
    expect(telegramHtmlToEmailHtml("<b>bold")).toBe('<div style="margin:0 0 16px"><strong>bold</strong></div>');
    expect(telegramHtmlToEmailHtml("text</i>")).toBe('<div style="margin:0 0 16px">text</div>');
    expect(telegramHtmlToEmailHtml("<tg-spoiler>s</tg-spoiler>")).toMatch(/<span style="background:#e2e8f0[^"]*">s<\/span>/);
    expect(telegramHtmlToEmailHtml('<span class="tg-spoiler">s</span>')).toMatch(/<span style="background:#e2e8f0[^"]*">s<\/span>/);
    // Any other span is text; its closing tag then has no opening one and is dropped.
    expect(telegramHtmlToEmailHtml('<span style="x">s</span>')).toBe('<div style="margin:0 0 16px">&lt;span style=&quot;x&quot;&gt;s</div>');
  });
});

describe("telegramHtmlToText", () => {
  test("tags removed, entities decoded, links as text (url)", () => {
    const rendered = renderTemplate('✅ <b>Hi {name}</b>\n\n<a href="{url}">Event page</a> · <a href="https://x.test">https://x.test</a>', {
      name: NAME,
      url: "https://e.test/?a=1&b=2",
    });
    expect(telegramHtmlToText(rendered)).toBe(`✅ Hi ${NAME}\n\nEvent page (https://e.test/?a=1&b=2) · https://x.test`);
  });

  test("an unsafe link keeps only its text", () => {
    expect(telegramHtmlToText('<a href="javascript:alert(1)">click</a>')).toBe("click");
  });

  test("decodeEntities", () => {
    expect(decodeEntities("&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&bogus;")).toBe(`<>&"'AB&bogus;`);
  });
});

describe("subjects", () => {
  test("one line, at most 300 characters", () => {
    expect(oneLineSubject("a\nb\r\n  c\td")).toBe("a b c d");
    const long = oneLineSubject("x".repeat(400));
    expect(long).toHaveLength(300);
    expect(long.endsWith("…")).toBe(true);
  });

  test("a rendered subject is plain text: values intact, template markup removed", () => {
    expect(subjectFromRendered(renderTemplate("<b>Ticket:</b> {t}", { t: `${NAME}\nline` }))).toBe(`Ticket: ${NAME} line`);
  });

  test("safeLinkHref", () => {
    expect(safeLinkHref("https://a.test/x")).toBe("https://a.test/x");
    expect(safeLinkHref("javascript:alert(1)")).toBeNull();
    expect(safeLinkHref("not a url")).toBeNull();
  });
});

describe("renderNoticeEmail", () => {
  test("a phone-friendly HTML email and a plain-text part, in the recipient's language", async () => {
    const email = await renderNoticeEmail({
      subject: "Your ticket:\nRock",
      bodyHtml: renderTemplate("Hi, <b>{name}</b>!", { name: NAME }),
      buttons: [
        { label: "Open", url: "https://e.test/t" },
        { label: "Bad", url: "javascript:alert(1)" },
      ],
      locale: "EN",
      qrCid: "qr@x",
    });
    expect(email.subject).toBe("Your ticket: Rock");
    expect(email.html).toContain('lang="en"');
    expect(email.html).toContain("max-width:560px");
    expect(email.html).toContain('src="cid:qr@x"');
    expect(email.html).toContain('href="https://e.test/t"');
    expect(email.html).not.toContain("javascript:");
    expect(email.html).not.toMatch(/<script>/);
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.text).toContain(`Hi, ${NAME}!`);
    expect(email.text).toContain("Open: https://e.test/t");
    expect(email.text).not.toContain("Bad");
    expect(email.text).not.toMatch(/unsubscribe/i);
  });

  test("organizer messages: the mute link in the footer (HTML and text)", async () => {
    const email = await renderNoticeEmail({ subject: "S", bodyHtml: "Body", locale: "RU", unsubscribeUrl: "https://e.test/mute/abc" });
    expect(email.html).toContain('href="https://e.test/mute/abc"');
    expect(email.html).toContain("Отписаться");
    expect(email.text).toContain("https://e.test/mute/abc");
  });

  test("renderNoticePreview renders both channels (English falls back to Russian when empty)", async () => {
    const template = { subject: "Билет: {t}", subjectEn: "", body: "Привет, <b>{t}</b>", bodyEn: "" };
    const preview = await renderNoticePreview(template, { t: "A&B" }, "EN");
    expect(preview.telegramHtml).toBe("Привет, <b>A&amp;B</b>");
    expect(preview.email.subject).toBe("Билет: A&B");
    expect(preview.email.html).toContain("<strong>A&amp;B</strong>");
    const en = await renderNoticePreview({ ...template, subjectEn: "Ticket: {t}", bodyEn: "Hi {t}" }, { t: "A" }, "EN");
    expect(en.email.subject).toBe("Ticket: A");
    expect(en.telegramHtml).toBe("Hi A");
  });
});

describe(".ics", () => {
  const event = {
    uid: "registration-1@aqstream.test",
    start: new Date("2027-03-15T16:00:00Z"),
    end: new Date("2027-03-15T18:30:00Z"),
    summary: "Rock; concert, \\ big\nnight",
    location: "Moscow, Tverskaya 1",
    url: "https://aqstream.test/e/org/rock",
    stamp: new Date("2027-03-01T10:00:00.123Z"),
  };

  test("one VEVENT, METHOD:PUBLISH, UTC times, escaped text, CRLF", () => {
    const ics = buildIcs(event);
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics).toContain("\r\nMETHOD:PUBLISH\r\n");
    expect(ics).toContain("\r\nUID:registration-1@aqstream.test\r\n");
    expect(ics).toContain("\r\nDTSTART:20270315T160000Z\r\n");
    expect(ics).toContain("\r\nDTEND:20270315T183000Z\r\n");
    expect(ics).toContain("\r\nDTSTAMP:20270301T100000Z\r\n");
    expect(ics).toContain("\r\nSUMMARY:Rock\\; concert\\, \\\\ big\\nnight\r\n");
    expect(ics).toContain("\r\nLOCATION:Moscow\\, Tverskaya 1\r\n");
    expect(ics).toContain("\r\nURL:https://aqstream.test/e/org/rock\r\n");
    expect(ics.endsWith("END:VEVENT\r\nEND:VCALENDAR\r\n")).toBe(true);
    expect(ics.split("\r\n").every((line) => Buffer.byteLength(line, "utf8") <= 75)).toBe(true);
  });

  test("no end → two hours; the same registration → the same UID", () => {
    const ics = buildIcs({ ...event, end: null });
    expect(ics).toContain("DTEND:20270315T180000Z");
    expect(buildIcs({ ...event, stamp: new Date() }).match(/UID:.*/)?.[0]).toBe(ics.match(/UID:.*/)?.[0]);
  });

  test("long lines are folded at 75 octets without splitting a character", () => {
    const line = `SUMMARY:${"Ж".repeat(100)}`;
    const folded = foldIcsLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
    expect(icsDate(new Date("2027-01-02T03:04:05.678Z"))).toBe("20270102T030405Z");
    expect(icsText("a,b;c\\d\r\ne")).toBe("a\\,b\\;c\\\\d\\ne");
  });
});
