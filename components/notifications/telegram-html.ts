// A small parser for Telegram's HTML parse mode, used by the template preview. It turns a rendered
// message into a tree of plain text and the few formatting nodes Telegram knows; the preview renders
// that tree with React elements, so text is always escaped by React and nothing is ever injected as
// HTML. It is lenient where Telegram is strict (the editor reports the problems separately): an
// unknown tag, a stray "<" or an unmatched closing tag is shown as literal text, unclosed tags are
// closed at the end. Pure: importable anywhere.

export type TelegramFormat = "bold" | "italic" | "underline" | "strike" | "spoiler" | "code" | "pre" | "blockquote";

export type TelegramNode =
  | { type: "text"; text: string }
  | { type: "format"; format: TelegramFormat; children: TelegramNode[] }
  /** `href` is null when the URL is not one a preview may open (only http, https, tg, mailto). */
  | { type: "link"; href: string | null; children: TelegramNode[] };

const FORMAT_OF_TAG: Record<string, TelegramFormat> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strike",
  strike: "strike",
  del: "strike",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
};

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Decodes the entities Telegram understands (&lt; &gt; &amp; &quot; and numeric ones); others stay as written. */
export function decodeTelegramEntities(text: string): string {
  return text.replace(/&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g, (match, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named) return NAMED_ENTITIES[named];
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
    if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return match;
    return String.fromCodePoint(code);
  });
}

/** A URL the preview may link to: http(s), tg: or mailto:, nothing else (no javascript:, data:, relative). */
export function safePreviewHref(raw: string): string | null {
  const href = raw.trim();
  if (!/^(?:https?:\/\/|tg:|mailto:)/i.test(href)) return null;
  try {
    const url = new URL(href);
    return ["http:", "https:", "tg:", "mailto:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

type OpenElement = { tag: string; node: Extract<TelegramNode, { children: TelegramNode[] }> };

const TAG_RE = /^<(\/?)([a-zA-Z][a-zA-Z-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*"[^"]*")?)*)\s*>/;
const ATTR_RE = /([a-zA-Z-]+)(?:\s*=\s*"([^"]*)")?/g;

function attributesOf(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of raw.matchAll(ATTR_RE)) attributes[m[1].toLowerCase()] = decodeTelegramEntities(m[2] ?? "");
  return attributes;
}

/** Parses Telegram HTML into a tree (see the file comment for how errors are treated). */
export function parseTelegramHtml(html: string): TelegramNode[] {
  const root: TelegramNode[] = [];
  const stack: OpenElement[] = [];
  const children = () => (stack.length ? stack[stack.length - 1].node.children : root);

  let text = "";
  const flush = () => {
    if (!text) return;
    const list = children();
    const decoded = decodeTelegramEntities(text);
    const last = list[list.length - 1];
    if (last?.type === "text") last.text += decoded;
    else list.push({ type: "text", text: decoded });
    text = "";
  };

  let emojiDepth = 0;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      text += html.slice(i);
      break;
    }
    text += html.slice(i, lt);
    const match = TAG_RE.exec(html.slice(lt));
    const element = match ? toElement(match[1] === "/", match[2].toLowerCase(), match[3]) : null;
    if (!match || !element) {
      // Not a tag Telegram knows: keep it as the literal text it is.
      text += "<";
      i = lt + 1;
      continue;
    }
    if (element.tag === "tg-emoji") {
      // A custom emoji: its text content (the fallback emoji) is what we show; the tags are dropped.
      if (!element.closing) emojiDepth++;
      else if (emojiDepth > 0) emojiDepth--;
      else text += match[0];
    } else if (element.closing) {
      const index = findOpen(stack, element.tag);
      if (index === -1) {
        text += match[0];
      } else {
        flush();
        stack.length = index; // closes it (and anything left open inside it)
      }
    } else if (element.node) {
      flush();
      children().push(element.node);
      stack.push({ tag: element.tag, node: element.node });
    }
    i = lt + match[0].length;
  }
  flush();
  return root;
}

function findOpen(stack: OpenElement[], tag: string): number {
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k].tag === tag) return k;
  return -1;
}

type ParsedElement = { closing: true; tag: string } | { closing: false; tag: string; node: OpenElement["node"] | null };

function toElement(closing: boolean, name: string, rawAttributes: string): ParsedElement | null {
  const attributes = attributesOf(rawAttributes);
  if (name === "span") {
    // Only <span class="tg-spoiler"> is Telegram markup; closing </span> matches it.
    if (closing) return { closing, tag: "span" };
    return attributes.class === "tg-spoiler" ? { closing, tag: "span", node: { type: "format", format: "spoiler", children: [] } } : null;
  }
  if (name === "a") {
    if (closing) return { closing, tag: "a" };
    return { closing, tag: "a", node: { type: "link", href: safePreviewHref(attributes.href ?? ""), children: [] } };
  }
  if (name === "tg-emoji") return closing ? { closing, tag: name } : { closing, tag: name, node: null };
  const format = FORMAT_OF_TAG[name];
  if (!format) return null;
  return closing ? { closing, tag: name } : { closing, tag: name, node: { type: "format", format, children: [] } };
}

/** The plain text of a tree (what a screen reader or a notification shows). */
export function telegramPlainText(nodes: TelegramNode[]): string {
  return nodes.map((n) => (n.type === "text" ? n.text : telegramPlainText(n.children))).join("");
}
