// Template rendering for Telegram (pure: no database, no secrets — the admin editor may use it too).
//
// Templates are Mustache over Telegram HTML (parse_mode "HTML": <b>, <i>, <u>, <s>, <a href>, <code>,
// <pre>, <blockquote>, <tg-spoiler>). Every variable value is escaped for that HTML — exactly
// & < > " — so a value such as a user's name `<b>_*[x](y)` can never break a message or inject
// markup. Markdown characters need no escaping in HTML mode, which is why HTML was chosen: the first
// version used Markdown and broke on names with `_` or `*`. See docs/notifications.md.
import Mustache from "mustache";
import { formatEventDate } from "@/lib/i18n/format/date";

/** Dates of messages: the one date formatter (lib/i18n/format/date.ts). */
export { formatEventDate };

export type Locale = "RU" | "EN";

/** A date variable: rendered at delivery in the recipient's language, in the event's time zone. */
export interface DateVariable {
  $date: string;
  timeZone: string;
}

export type TemplateVariables = Record<string, unknown>;

/** Escapes a value for Telegram HTML: exactly &, <, > and ". */
export function escapeTelegramHtml(value: unknown): string {
  return String(value).replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/** Wraps a date for notify(): it is formatted at delivery with formatEventDate in the user's language. */
export function dateVar(date: Date, timeZone: string): DateVariable {
  return { $date: date.toISOString(), timeZone };
}

export function isDateVariable(value: unknown): value is DateVariable {
  return typeof value === "object" && value !== null && typeof (value as DateVariable).$date === "string" && typeof (value as DateVariable).timeZone === "string";
}

/** Replaces DateVariables (at any depth) by their formatted text. */
export function resolveVariables(variables: TemplateVariables, locale: Locale): TemplateVariables {
  const resolve = (value: unknown): unknown => {
    if (isDateVariable(value)) return formatEventDate(value.$date, value.timeZone, locale);
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  return resolve(variables) as TemplateVariables;
}

/** Renders a template body; every {{value}} is escaped for Telegram HTML. Throws on broken syntax. */
export function renderTemplate(body: string, variables: TemplateVariables, locale: Locale = "RU"): string {
  return Mustache.render(body, resolveVariables(variables, locale), {}, { escape: escapeTelegramHtml }).trim();
}

/** Picks the body for a language: EN → bodyEn (falls back to the Russian body when empty). */
export function templateBodyFor(template: { body: string; bodyEn: string }, locale: Locale): string {
  return locale === "EN" && template.bodyEn.trim() ? template.bodyEn : template.body;
}

// ───────────────────────────── validation (admin editor) ─────────────────────────────

const TAGS: Record<string, RegExp | null> = {
  // tag → allowed attributes (null = none)
  b: null,
  strong: null,
  i: null,
  em: null,
  u: null,
  ins: null,
  s: null,
  strike: null,
  del: null,
  "tg-spoiler": null,
  span: /^\s+class="tg-spoiler"\s*$/,
  a: /^\s+href="[^"]*"\s*$/,
  code: /^(\s+class="language-[\w+-]+")?\s*$/,
  pre: null,
  blockquote: /^(\s+expandable)?\s*$/,
  "tg-emoji": /^\s+emoji-id="\d+"\s*$/,
};

/** Checks text against Telegram's HTML rules; returns the problems (empty = valid). */
export function checkTelegramHtml(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === "<") {
      const end = html.indexOf(">", i);
      const tag = end === -1 ? null : /^<(\/?)([a-zA-Z][a-zA-Z-]*)([^<>]*)>$/.exec(html.slice(i, end + 1));
      if (!tag) {
        problems.push(`"<" at position ${i} is not part of a tag: write &lt;`);
        i++;
        continue;
      }
      const [, closing, rawName, attributes] = tag;
      const name = rawName.toLowerCase();
      if (!(name in TAGS)) {
        problems.push(`<${rawName}> is not supported by Telegram (use b, i, u, s, a, code, pre, blockquote, tg-spoiler)`);
      } else if (closing) {
        if (attributes.trim()) problems.push(`</${rawName}> must not have attributes`);
        const open = stack.pop();
        if (open !== name) problems.push(open ? `</${rawName}> closes <${open}>` : `</${rawName}> has no opening tag`);
      } else {
        const allowed = TAGS[name];
        if (attributes.trim() && !(allowed && allowed.test(attributes))) problems.push(`<${rawName}${attributes}> has attributes Telegram does not accept`);
        if (name === "a" && !(allowed && allowed.test(attributes))) problems.push(`<a> needs href="…"`);
        stack.push(name);
      }
      i = end + 1;
      continue;
    }
    if (c === ">") problems.push(`">" at position ${i} is not part of a tag: write &gt;`);
    if (c === "&" && !/^&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.test(html.slice(i, i + 12))) {
      problems.push(`"&" at position ${i} is not an entity: write &amp;`);
    }
    i++;
  }
  for (const open of stack.reverse()) problems.push(`<${open}> is never closed`);
  return problems;
}

type Token = [string, string, number, number, Token[]?, ...unknown[]];

export type TemplateValidation = { ok: true; usedVariables: string[] } | { ok: false; errors: string[] };

/**
 * Validates a template body for the admin editor: Mustache syntax, only documented variables,
 * no raw ({{{x}}} / {{&x}}) values, no partials or delimiter changes, and the markup valid
 * Telegram HTML whichever way its sections go.
 */
export function validateTemplateBody(body: string, variables: ReadonlyArray<string | { name: string }>): TemplateValidation {
  const known = new Set(variables.map((v) => (typeof v === "string" ? v : v.name)));
  const errors: string[] = [];
  const used = new Set<string>();
  let tokens: Token[];
  try {
    tokens = Mustache.parse(body) as unknown as Token[];
  } catch (error) {
    return { ok: false, errors: [`Template syntax: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const walk = (list: Token[], depth: number) => {
    for (const token of list) {
      const [type, value] = token;
      switch (type) {
        case "text":
        case "!":
          break;
        case "name":
        case "#":
        case "^": {
          if (value === "." && depth > 0) break;
          const root = value.split(".")[0];
          if (!known.has(root)) errors.push(`Unknown variable {{${value}}}${known.size ? ` (available: ${[...known].join(", ")})` : ""}`);
          else used.add(root);
          if ((type === "#" || type === "^") && token[4]) walk(token[4], depth + 1);
          break;
        }
        case "&":
          errors.push(`{{{${value}}}} / {{&${value}}} would insert the value unescaped: use {{${value}}}`);
          break;
        case ">":
          errors.push(`Partials ({{> ${value}}}) are not supported`);
          break;
        case "=":
          errors.push("Changing delimiters ({{= =}}) is not supported");
          break;
        default:
          errors.push(`Unsupported tag ${type}`);
      }
    }
  };
  walk(tokens, 0);
  if (errors.length) return { ok: false, errors };

  // The markup must be valid Telegram HTML both with every section shown and with none shown.
  const filled = Object.fromEntries([...known].map((name) => [name, "x"]));
  const empty = Object.fromEntries([...known].map((name) => [name, ""]));
  for (const view of [filled, empty]) {
    const html = Mustache.render(body, view, {}, { escape: escapeTelegramHtml });
    for (const problem of checkTelegramHtml(html)) if (!errors.includes(problem)) errors.push(problem);
  }
  return errors.length ? { ok: false, errors } : { ok: true, usedVariables: [...used] };
}
