// Renders a Telegram HTML message (a rendered template) as it looks in a Telegram chat bubble. The
// message is parsed into a tree (telegram-html.ts) and every node becomes a React element: text is
// escaped by React, links only open http(s)/tg/mailto URLs, and no HTML string is ever injected.
// Bare URLs in the text become links, as Telegram shows them.
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { parseTelegramHtml, safePreviewHref, type TelegramNode } from "./telegram-html";

const LINK_CLASSES = "text-sky-700 underline underline-offset-2";
const BARE_URL_RE = /https?:\/\/[^\s<>"]+/g;

/** Plain text with bare http(s) URLs as links, the way Telegram shows them. */
function linkifyText(text: string, key: string): ReactNode {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(BARE_URL_RE)) {
    // Trailing punctuation belongs to the sentence, not the URL.
    const url = match[0].replace(/[.,;:!?)»'"]+$/, "");
    const href = safePreviewHref(url);
    if (!href) continue;
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={`${key}-u${start}`} href={href} target="_blank" rel="noopener noreferrer nofollow" className={LINK_CLASSES}>
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (parts.length === 0) return text;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function renderTelegramNodes(nodes: TelegramNode[], keyPrefix = "n", { linkify = true }: { linkify?: boolean } = {}): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${keyPrefix}-${index}`;
    if (node.type === "text") return linkify ? linkifyText(node.text, key) : node.text;
    // No automatic links inside links and code.
    const inner = linkify && node.type === "format" && node.format !== "code" && node.format !== "pre";
    const children = renderTelegramNodes(node.children, key, { linkify: inner });
    if (node.type === "link") {
      return node.href ? (
        <a key={key} href={node.href} target="_blank" rel="noopener noreferrer nofollow" className={LINK_CLASSES}>
          {children}
        </a>
      ) : (
        <span key={key} className="text-sky-700 underline decoration-dotted underline-offset-2" data-unsafe-link>
          {children}
        </span>
      );
    }
    switch (node.format) {
      case "bold":
        return <strong key={key}>{children}</strong>;
      case "italic":
        return <em key={key}>{children}</em>;
      case "underline":
        return <u key={key}>{children}</u>;
      case "strike":
        return <s key={key}>{children}</s>;
      case "spoiler":
        return (
          <span key={key} className="rounded bg-slate-300 text-transparent transition-colors hover:bg-slate-200 hover:text-inherit" data-spoiler>
            {children}
          </span>
        );
      case "code":
        return (
          <code key={key} className="rounded bg-slate-100 px-1 font-mono text-[0.9em] text-rose-700">
            {children}
          </code>
        );
      case "pre":
        return (
          <pre key={key} className="my-1 overflow-x-auto rounded-lg bg-slate-100 p-2 font-mono text-[0.9em]">
            {children}
          </pre>
        );
      case "blockquote":
        return (
          <blockquote key={key} className="my-1 border-l-4 border-sky-400 bg-sky-50 py-0.5 pl-2">
            {children}
          </blockquote>
        );
    }
  });
}

/** A chat bubble with the message. `html` is Telegram HTML (already rendered with values). */
export function TelegramMessagePreview({ html, emptyText, className }: { html: string; emptyText: string; className?: string }) {
  const nodes = parseTelegramHtml(html);
  return (
    <div className={cn("rounded-2xl bg-[#c9dfc0] p-3 sm:p-4", className)}>
      <div
        className="max-w-full rounded-2xl rounded-bl-sm bg-white px-3.5 py-2.5 text-[15px] leading-snug text-slate-900 shadow-sm [overflow-wrap:anywhere] whitespace-pre-wrap"
        data-testid="telegram-preview"
      >
        {html.trim() ? renderTelegramNodes(nodes) : <span className="text-slate-400 italic">{emptyText}</span>}
      </div>
    </div>
  );
}
