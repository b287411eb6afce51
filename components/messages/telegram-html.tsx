"use client";
// Telegram HTML (what the bot sends: <b>, <i>, <u>, <s>, <a href>, <code>, <pre>, <blockquote>, text)
// shown in the composer's "Telegram bubble" as React elements — never as innerHTML. The markup is
// parsed inert (DOMParser runs no scripts and loads nothing), and only the tags Telegram itself accepts
// are rebuilt; anything else keeps only its text, attributes other than an http(s)/mailto/tg href are
// dropped. So even a preview that went wrong cannot run code in the organizer's session.
import { Fragment, useMemo, type ReactNode } from "react";

const TAGS: Record<string, string> = {
  b: "strong",
  strong: "strong",
  i: "em",
  em: "em",
  u: "u",
  ins: "u",
  s: "s",
  strike: "s",
  del: "s",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  a: "a",
  "tg-spoiler": "span",
  span: "span",
};

const CLASSES: Record<string, string> = {
  code: "rounded bg-slate-200/70 px-1 font-mono text-[0.9em]",
  pre: "my-1 overflow-x-auto rounded bg-slate-200/70 p-2 font-mono text-[0.9em] whitespace-pre",
  blockquote: "my-1 border-l-2 border-sky-500 pl-2",
  a: "text-sky-700 underline underline-offset-2 break-all",
};

/** A link target a preview may carry (anything else — javascript:, data: — becomes plain text). */
export function safeHref(href: string | null): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return ["http:", "https:", "mailto:", "tg:"].includes(url.protocol) ? url.toString() : null;
  } catch {
    return null;
  }
}

function toReact(node: Node, key: string): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const children = Array.from(element.childNodes).map((child, i) => toReact(child, `${key}.${i}`));
  const tag = element.tagName.toLowerCase();
  if (tag === "br") return <br key={key} />;
  const as = TAGS[tag];
  if (!as) return <Fragment key={key}>{children}</Fragment>;
  if (as === "a") {
    const href = safeHref(element.getAttribute("href"));
    if (!href) return <Fragment key={key}>{children}</Fragment>;
    return (
      <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow" className={CLASSES.a}>
        {children}
      </a>
    );
  }
  const Tag = as as "strong";
  return (
    <Tag key={key} className={CLASSES[as]}>
      {children}
    </Tag>
  );
}

/** Telegram HTML → React nodes (inert parse, allow-list of tags; see the top of this file). */
export function telegramHtmlToReact(html: string): ReactNode[] {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  return Array.from(doc.body.childNodes).map((node, i) => toReact(node, String(i)));
}

export function TelegramHtml({ html, className }: { html: string; className?: string }) {
  const nodes = useMemo(() => telegramHtmlToReact(html), [html]);
  return <div className={className ?? "break-words whitespace-pre-wrap"}>{nodes}</div>;
}
