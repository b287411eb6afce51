// Plain-text + HTML bodies of the app's emails. Pure module (no server imports): unit-tested, and
// used by every area that sends mail (lib/identity for verification and password reset).
// Every value is escaped in the HTML version; the text version is what the dev mailbox shows.

export type MailContent = {
  /** "Hello, Anna!" */
  greeting: string;
  /** Paragraphs before the button. */
  paragraphs: string[];
  /** The one call to action: a button in HTML, "label: url" in text. */
  action?: { label: string; url: string };
  /** Paragraphs after the button, in small print (e.g. "If it wasn't you, ignore this email."). */
  footer?: string[];
  /** Signature line, e.g. "— AqStream". */
  signature: string;
};

export type RenderedMail = { text: string; html: string };

export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Only http(s) links become buttons; anything else would be a bug (or an injection) upstream. */
function assertHttpUrl(url: string): void {
  const protocol = new URL(url).protocol;
  if (protocol !== "http:" && protocol !== "https:") throw new Error(`mail action URL must be http(s), got ${protocol}`);
}

export function renderMail(content: MailContent, { lang }: { lang: string }): RenderedMail {
  if (content.action) assertHttpUrl(content.action.url);
  const blocks = [
    content.greeting,
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    ...(content.footer ?? []),
    content.signature,
  ];
  const text = `${blocks.join("\n\n")}\n`;

  const p = (value: string, style = "margin:0 0 16px") => `<p style="${style}">${escapeHtml(value).replace(/\n/g, "<br>")}</p>`;
  const button = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:12px 20px;border-radius:10px;background:#1f57d1;color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(content.action.label)}</a></p>` +
      p(content.action.url, "margin:0 0 16px;font-size:13px;color:#475569;word-break:break-all")
    : "";
  const footer = (content.footer ?? []).map((f) => p(f, "margin:0 0 12px;font-size:13px;color:#64748b")).join("");
  const html = [
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"></head>`,
    `<body style="margin:0;padding:24px 12px;background:#f8fafc;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5;color:#0f172a">`,
    `<div style="max-width:560px;margin:0 auto;padding:24px;border:1px solid #e2e8f0;border-radius:16px;background:#ffffff">`,
    p(content.greeting, "margin:0 0 16px;font-weight:600"),
    content.paragraphs.map((x) => p(x)).join(""),
    button,
    footer,
    p(content.signature, "margin:16px 0 0;color:#475569"),
    `</div></body></html>`,
  ].join("");
  return { text, html };
}

/** Splits a text into plain parts and http(s) links (the dev mailbox makes the links clickable). */
export function linkify(text: string): Array<{ text: string; href?: string }> {
  const parts: Array<{ text: string; href?: string }> = [];
  const pattern = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    // A sentence's final punctuation is not part of the link.
    const url = match[0].replace(/[.,;:!?)]+$/, "");
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
