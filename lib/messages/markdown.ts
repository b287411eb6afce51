// The organizer message's Markdown subset → Telegram HTML (pure; docs/messages.md → "Organizer messages").
//
// Supported: paragraphs (blank line), line breaks, **bold**, _italic_ / *italic*, [text](url) with an
// http, https or mailto URL, `code`, "- " / "* " / "+ " list items (shown as "• ") and "1. " items (kept
// as "1. "). EVERYTHING else is text: "<", ">", "&" and quotes are escaped, so a body's <script> or
// <b onclick> arrives as the characters the organizer typed. The output always passes
// checkTelegramHtml (lib/notifications/render.ts) and becomes TrustedHtml at delivery; the email channel
// converts the same Telegram HTML (lib/notifications/email).

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

export function escapeText(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

/** Links the subset accepts (anything else stays text). */
export function isSafeLinkUrl(url: string): boolean {
  if (!/^(https?:\/\/[^\s"<>]+|mailto:[^\s"<>]+)$/i.test(url)) return false;
  if (/^mailto:/i.test(url)) return /^mailto:[^@\s]+@[^@\s]+$/i.test(url);
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && !!parsed.hostname;
  } catch {
    return false;
  }
}

const WORD = /[\p{L}\p{N}]/u;
const LINK = /^\[([^\]\n]+)\]\(([^()\s]+)\)/;

interface InlineContext {
  inLink: boolean;
  inBold: boolean;
  inItalic: boolean;
}

/** The closing delimiter of an _italic_ / *italic* run opened at `i`, or -1. */
function closingEmphasis(s: string, i: number, ch: string): number {
  for (let j = s.indexOf(ch, i + 2); j !== -1; j = s.indexOf(ch, j + 1)) {
    if (/\s/.test(s[j - 1])) continue;
    if (ch === "*" && s[j + 1] === "*") {
      j++; // part of a "**": not this run's end
      continue;
    }
    if (j + 1 < s.length && WORD.test(s[j + 1])) continue;
    return j;
  }
  return -1;
}

function inline(s: string, ctx: InlineContext): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "`") {
      const j = s.indexOf("`", i + 1);
      if (j > i + 1) {
        out += `<code>${escapeText(s.slice(i + 1, j))}</code>`;
        i = j + 1;
        continue;
      }
    }
    if (c === "[" && !ctx.inLink) {
      const m = LINK.exec(s.slice(i));
      if (m && isSafeLinkUrl(m[2])) {
        out += `<a href="${escapeText(m[2])}">${inline(m[1], { ...ctx, inLink: true })}</a>`;
        i += m[0].length;
        continue;
      }
    }
    if (c === "*" && s[i + 1] === "*" && !ctx.inBold) {
      const j = s.indexOf("**", i + 2);
      if (j > i + 2 && !/\s/.test(s[i + 2]) && !/\s/.test(s[j - 1])) {
        out += `<b>${inline(s.slice(i + 2, j), { ...ctx, inBold: true })}</b>`;
        i = j + 2;
        continue;
      }
    }
    if ((c === "_" || (c === "*" && s[i + 1] !== "*")) && !ctx.inItalic && (i === 0 || !WORD.test(s[i - 1])) && i + 1 < s.length && !/\s/.test(s[i + 1])) {
      const j = closingEmphasis(s, i, c);
      if (j !== -1) {
        out += `<i>${inline(s.slice(i + 1, j), { ...ctx, inItalic: true })}</i>`;
        i = j + 1;
        continue;
      }
    }
    out += ESCAPES[c] ?? c;
    i++;
  }
  return out;
}

/** One line of a block: a list item gets its marker, the rest is inline Markdown. */
function line(raw: string): string {
  const ctx: InlineContext = { inLink: false, inBold: false, inItalic: false };
  const bullet = /^\s*[-*+]\s+(.*)$/.exec(raw);
  if (bullet && !/^\s*\*\*/.test(raw)) return `• ${inline(bullet[1], ctx)}`;
  const numbered = /^\s*(\d{1,3})[.)]\s+(.*)$/.exec(raw);
  if (numbered) return `${numbered[1]}. ${inline(numbered[2], ctx)}`;
  return inline(raw.trim(), ctx);
}

/** Markdown subset → Telegram HTML (valid for checkTelegramHtml; everything outside the subset escaped). */
export function markdownToTelegramHtml(markdown: string): string {
  const text = markdown
    .replace(/\r\n?/g, "\n")
    // control characters (other than newline and tab) carry nothing and could collide with render markers
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .trim();
  if (!text) return "";
  const blocks = text.split(/\n[ \t]*\n+/);
  return blocks
    .map((block) =>
      block
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map(line)
        .join("\n"),
    )
    .filter(Boolean)
    .join("\n\n");
}
