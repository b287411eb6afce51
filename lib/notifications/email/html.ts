// Telegram HTML → email HTML and plain text (pure: no database, no secrets; the admin editor's preview
// uses it too).
//
// A notice body is rendered once, as Telegram HTML (lib/notifications/render.ts: ICU with every value
// escaped). Email keeps the same markup — b/strong, i/em, u/ins, s/strike/del, a href, code, pre,
// blockquote, tg-spoiler — as email-safe tags with inline styles; newlines become paragraphs and line
// breaks. The input is already escaped, but this converter does not rely on it: any other `<`, `>` or
// stray `&` is escaped, and a link whose scheme is not http, https, mailto or tg loses its tag (its text
// stays), so `<script>` or `javascript:` can never reach a mailbox.

const ENTITY = /&(?:lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/y;

/** Escapes text for HTML content and attribute values. */
export function escapeEmailHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

/** Decodes the entities Telegram HTML may contain (named: lt gt amp quot apos; numeric). */
export function decodeEntities(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (entity, name: string) => {
    switch (name) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return '"';
      case "apos":
        return "'";
      default: {
        const code = name.startsWith("#x") ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : entity;
      }
    }
  });
}

const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:", "tg:"]);

/** The link target if its scheme is http, https, mailto or tg (after decoding entities), else null. */
export function safeLinkHref(rawHref: string): string | null {
  const href = decodeEntities(rawHref).trim();
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return SAFE_SCHEMES.has(url.protocol) ? href : null;
}

type Kind = "b" | "i" | "u" | "s" | "a" | "code" | "pre" | "blockquote" | "spoiler";

const TAG_KIND: Record<string, Kind> = {
  b: "b",
  strong: "b",
  i: "i",
  em: "i",
  u: "u",
  ins: "u",
  s: "s",
  strike: "s",
  del: "s",
  a: "a",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-spoiler": "spoiler",
  span: "spoiler", // <span class="tg-spoiler">
};

const LINK_STYLE = "color:#1f57d1;text-decoration:underline";
const OPEN: Record<Exclude<Kind, "a">, string> = {
  b: "<strong>",
  i: "<em>",
  u: '<u style="text-decoration:underline">',
  s: '<s style="text-decoration:line-through">',
  code: '<code style="font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:14px;background:#f1f5f9;border-radius:4px;padding:1px 4px">',
  pre: '<pre style="margin:8px 0;padding:12px;background:#f1f5f9;border-radius:8px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:14px;line-height:1.45;white-space:pre-wrap;word-break:break-word">',
  blockquote: '<blockquote style="margin:8px 0;padding:4px 0 4px 12px;border-left:3px solid #cbd5e1;color:#334155">',
  spoiler: '<span style="background:#e2e8f0;color:#334155;border-radius:3px;padding:0 2px">',
};
const CLOSE: Record<Kind, string> = {
  b: "</strong>",
  i: "</em>",
  u: "</u>",
  s: "</s>",
  a: "</a>",
  code: "</code>",
  pre: "</pre>",
  blockquote: "</blockquote>",
  spoiler: "</span>",
};

// Paragraphs are divs: a quote or a code block inside one stays valid HTML.
const PARAGRAPH_OPEN = '<div style="margin:0 0 16px">';
const PARAGRAPH_CLOSE = "</div>";
const BLOCKS: ReadonlySet<Kind> = new Set(["pre", "blockquote"]);

interface Open {
  kind: Kind;
  /** The email markup that opened it ("" for a link whose scheme was refused: its text stays, no tag). */
  html: string;
}

type Token = { type: "text"; value: string } | { type: "open"; kind: Kind; href?: string } | { type: "close"; kind: Kind };

/** Splits Telegram HTML into text (already escaped for HTML) and allowed tags; anything else becomes text. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let text = "";
  const flush = () => {
    if (text) tokens.push({ type: "text", value: text });
    text = "";
  };
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === "<") {
      const end = input.indexOf(">", i);
      const match = end === -1 ? null : /^<(\/?)([a-zA-Z][a-zA-Z-]*)([^<>]*)>$/.exec(input.slice(i, end + 1));
      const kind = match ? TAG_KIND[match[2].toLowerCase()] : undefined;
      if (match && kind) {
        const [, closing, name, attributes] = match;
        const spanOk = closing || name.toLowerCase() !== "span" || /^\s+class="tg-spoiler"\s*$/.test(attributes);
        if (spanOk) {
          flush();
          if (closing) tokens.push({ type: "close", kind });
          else if (kind === "a") {
            const href = /^\s+href="([^"]*)"\s*$/.exec(attributes)?.[1];
            tokens.push({ type: "open", kind, href: href === undefined ? undefined : (safeLinkHref(href) ?? undefined) });
          } else tokens.push({ type: "open", kind });
          i = end + 1;
          continue;
        }
      }
      text += "&lt;";
      i++;
      continue;
    }
    if (c === ">") text += "&gt;";
    else if (c === "&") {
      ENTITY.lastIndex = i;
      const entity = ENTITY.exec(input);
      if (entity) {
        text += entity[0];
        i += entity[0].length;
        continue;
      }
      text += "&amp;";
    } else if (c === '"') text += "&quot;";
    else text += c;
    i++;
  }
  flush();
  return tokens;
}

/**
 * Telegram HTML → email HTML: paragraphs (blank lines) and line breaks, the allowed tags with inline
 * styles, everything else escaped. Tags left open are closed; stray closing tags are dropped.
 */
export function telegramHtmlToEmailHtml(input: string): string {
  const tokens = tokenize(input.replace(/\r\n?/g, "\n").trim());
  const out: string[] = [PARAGRAPH_OPEN];
  const stack: Open[] = [];
  const inside = (kind: Kind) => stack.some((o) => o.kind === kind);
  const closeAll = () => [...stack].reverse().map((o) => (o.html ? CLOSE[o.kind] : "")).join("");
  const reopenAll = () => stack.map((o) => o.html).join("");

  tokens.forEach((token, index) => {
    if (token.type === "open") {
      let html: string;
      if (token.kind === "a") html = token.href && !inside("a") ? `<a href="${escapeEmailHtml(token.href)}" style="${LINK_STYLE}" target="_blank" rel="noopener">` : "";
      else html = OPEN[token.kind];
      stack.push({ kind: token.kind, html });
      out.push(html);
    } else if (token.type === "close") {
      const at = stack.map((o) => o.kind).lastIndexOf(token.kind);
      if (at === -1) return; // a closing tag with no opening one: dropped
      // Close what was opened after it (mis-nested markup), then it.
      while (stack.length > at) {
        const open = stack.pop()!;
        if (open.html) out.push(CLOSE[open.kind]);
      }
    } else if (inside("pre")) {
      out.push(token.value);
    } else {
      // The line break that merely ends a quote or a code block (or precedes one) is the block's own.
      let value = token.value;
      const before = tokens[index - 1];
      const after = tokens[index + 1];
      if (before?.type === "close" && BLOCKS.has(before.kind) && /^\n(?!\n)/.test(value)) value = value.slice(1);
      if (after?.type === "open" && BLOCKS.has(after.kind) && /(?<!\n)\n$/.test(value)) value = value.slice(0, -1);
      const parts = value.split(/(\n{2,}|\n)/);
      for (const part of parts) {
        if (part === "\n") out.push("<br>");
        else if (part.startsWith("\n")) {
          // A blank line: a new paragraph (inside a quote: an empty line, the quote stays one block).
          if (inside("blockquote")) out.push("<br><br>");
          else out.push(closeAll(), PARAGRAPH_CLOSE, PARAGRAPH_OPEN, reopenAll());
        } else if (part) out.push(part);
      }
    }
  });
  out.push(closeAll(), PARAGRAPH_CLOSE);
  // Paragraphs left empty (a break next to a block) are removed.
  return out.join("").replace(new RegExp(`${escapeRegExp(PARAGRAPH_OPEN)}(?:<br>)*${PARAGRAPH_CLOSE}`, "g"), "");
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Telegram HTML → plain text: tags removed, entities decoded, links as "text (url)" (or the url alone
 * when the text is the url), blank lines kept as paragraph breaks.
 */
export function telegramHtmlToText(input: string): string {
  const tokens = tokenize(input.replace(/\r\n?/g, "\n").trim());
  let out = "";
  const links: Array<{ href?: string; start: number }> = [];
  for (const token of tokens) {
    if (token.type === "text") out += decodeEntities(token.value);
    else if (token.type === "open" && token.kind === "a") links.push({ href: token.href, start: out.length });
    else if (token.type === "close" && token.kind === "a") {
      const link = links.pop();
      if (!link?.href) continue;
      const label = out.slice(link.start).trim();
      if (label !== link.href && label !== link.href.replace(/^mailto:/, "")) out += ` (${link.href})`;
    } else if (token.type === "open" && token.kind === "pre" && out && !out.endsWith("\n")) out += "\n";
  }
  return out
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** An email subject: one line (breaks and runs of spaces collapsed), at most 300 characters. */
export function oneLineSubject(value: string, max = 300): string {
  const line = value.replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** A rendered subject template (Telegram-escaped ICU output) → the plain one-line subject. */
export function subjectFromRendered(rendered: string): string {
  // Tags first (values are escaped, so only the template's own markup is a tag), then entities.
  return oneLineSubject(decodeEntities(rendered.replace(/<[^<>]*>/g, "")));
}
