// Template rendering for Telegram (pure: no database, no secrets — the admin editor uses it too).
//
// Templates are ICU messages over Telegram HTML (parse_mode "HTML": <b>, <i>, <u>, <s>, <a href>,
// <code>, <pre>, <blockquote>, <tg-spoiler>), the syntax of every other text (docs/i18n.md), and are
// rendered by the one Telegram formatter (lib/telegram/format.ts): every variable value is escaped
// for that HTML — exactly & < > " — so a value such as a user's name `<b>_*[x](y)` can never break a
// message or inject markup. Markdown characters need no escaping in HTML mode, which is why HTML was
// chosen: the first version used Markdown and broke on names with `_` or `*`. See docs/notifications.md.
import { formatEventDate } from "@/lib/i18n/format/date";
import { compileTelegramMessage, escapeTelegramHtml, formatTelegramMessage, telegramArguments } from "@/lib/telegram/format";

/** Dates of messages: the one date formatter (lib/i18n/format/date.ts); values: the one escape. */
export { escapeTelegramHtml, formatEventDate };

export type Locale = "RU" | "EN";

/** A date variable: rendered at delivery in the recipient's language, in the event's time zone. */
export interface DateVariable {
  $date: string;
  timeZone: string;
}

export type TemplateVariables = Record<string, unknown>;

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

/**
 * Markup produced by our own renderers at delivery (an organizer message's Markdown → Telegram HTML,
 * lib/messages): inserted as is, where every other value is escaped. Only an instance of this class is
 * trusted — a plain `{ html }` object read back from the database is not — so a stored variable can
 * never become markup. The markup is checked against Telegram's rules before it is inserted.
 */
export class TrustedHtml {
  constructor(readonly html: string) {
    const problems = checkTelegramHtml(html);
    if (problems.length) throw new Error(`TrustedHtml is not valid Telegram HTML: ${problems[0]}`);
  }
}

/** Renders a template body; every {value} is escaped for Telegram HTML (TrustedHtml inserted as is). Throws on broken syntax. */
export function renderTemplate(body: string, variables: TemplateVariables, locale: Locale = "RU"): string {
  const trusted: string[] = [];
  const values = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      if (!(value instanceof TrustedHtml)) return [name, value];
      trusted.push(value.html);
      // A marker that escaping leaves alone and no text contains; swapped for the markup after formatting.
      return [name, `\u0001${trusted.length - 1}\u0001`];
    }),
  );
  const text = formatTelegramMessage(body, locale === "EN" ? "en" : "ru", resolveVariables(values, locale)).trim();
  return trusted.length ? text.replace(/\u0001(\d+)\u0001/g, (_, i: string) => trusted[Number(i)] ?? "") : text;
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

export type TemplateValidation = { ok: true; usedVariables: string[] } | { ok: false; errors: string[] };

type IcuSyntaxError = Error & { location?: { start?: { line?: number; column?: number } } };

/**
 * Validates a template body for the admin editor: ICU syntax, only documented variables, values used
 * as text (not {x, number} / {x, date}: dates arrive formatted), and the markup valid Telegram HTML
 * whichever way its selects go. Findings are English sentences that lib/validation/templates.ts reads
 * back into structured issues (their wording is pinned by tests/unit/template-preview-issues.test.ts).
 */
export function validateTemplateBody(body: string, variables: ReadonlyArray<string | { name: string }>): TemplateValidation {
  const known = new Set(variables.map((v) => (typeof v === "string" ? v : v.name)));
  const errors: string[] = [];
  let compiled;
  try {
    compiled = compileTelegramMessage(body);
  } catch (error) {
    // The old Mustache {{name}} is the likeliest mistake: say so rather than "malformed argument".
    if (/\{\{\s*[#^/&]?\s*[A-Za-z.]/.test(body)) return { ok: false, errors: ["Variables are written in single braces: {name}, not {{name}}"] };
    const e = error as IcuSyntaxError;
    const at = e.location?.start ? ` at line ${e.location.start.line}, column ${e.location.start.column}` : "";
    return { ok: false, errors: [`Template syntax: ${String(e.message).toLowerCase().replace(/_/g, " ")}${at}`] };
  }
  const used = telegramArguments(compiled);
  for (const [name, kind] of used) {
    if (!known.has(name)) errors.push(`Unknown variable {${name}}${known.size ? ` (available: ${[...known].join(", ")})` : ""}`);
    else if (kind === "number" || kind === "date") errors.push(`{${name}, …} formats are not supported: write {${name}}`);
  }
  if (errors.length) return { ok: false, errors };

  // The markup must be valid Telegram HTML with every optional part shown, with none shown, and with
  // true / false flags.
  const views: Record<string, unknown>[] = [
    Object.fromEntries([...known].map((name) => [name, used.get(name) === "plural" ? 1 : "x"])),
    Object.fromEntries([...known].map((name) => [name, used.get(name) === "plural" ? 5 : ""])),
    Object.fromEntries([...known].map((name) => [name, used.get(name) === "plural" ? 2 : true])),
  ];
  for (const view of views) {
    const html = formatTelegramMessage(compiled, "ru", view);
    for (const problem of checkTelegramHtml(html)) if (!errors.includes(problem)) errors.push(problem);
  }
  return errors.length ? { ok: false, errors } : { ok: true, usedVariables: [...used.keys()] };
}
