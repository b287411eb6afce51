// The one Telegram formatter: ICU messages over Telegram HTML (parse_mode "HTML": <b>, <i>, <u>, <s>,
// <a href>, <code>, <pre>, <blockquote>, <tg-spoiler>) with every value escaped for that HTML. Used by
// the bot's texts (lib/telegram/texts.ts, catalogue namespace `bot`) and by the notification templates
// (lib/notifications/render.ts), so both speak one syntax and escape in one place. Pure: no database,
// no secrets (the admin template editor runs it in the browser for its live preview).
//
// The message is markup written by us or a platform admin; a value (a name, a title) is never markup:
// escapeTelegramHtml turns exactly & < > " into entities, so a name like `<b>_*[x](y)` can never break
// a message or inject markup (Markdown characters need no escaping in HTML mode — why HTML was chosen).
//
// Optional parts are ICU selects on the value: missing, null, "" and false select `empty`, true selects
// `true`, anything else its own text, then `other`:
//   {eventLocation, select, empty {} other {📍 {eventLocation}}}
//   {cancelledByOrganizer, select, true { организатором} other {}}
// Counts use plural: {count, plural, one {# место} few {# места} many {# мест} other {# места}}.
import { compileMessage, messageArguments } from "@/lib/i18n/compile";
import { formatMessage, type CompiledMessage, type MessageValues } from "@/lib/i18n/icu";

/** Escapes a value for Telegram HTML: exactly &, <, > and " (null and undefined become ""). */
export function escapeTelegramHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

export type TelegramValues = Record<string, unknown>;

/** Select arguments read the value's selector, not its escaped text: they get their own name. */
const SELECTOR = "\u0000";

const TYPE_SELECT = 1;

function renameSelects(node: unknown): unknown {
  if (!Array.isArray(node)) return node;
  const [name, type, options] = node as [unknown, unknown, unknown];
  if (typeof name === "string" && type === TYPE_SELECT && options && typeof options === "object") {
    return [SELECTOR + name, TYPE_SELECT, Object.fromEntries(Object.entries(options).map(([k, v]) => [k, renameSelects(v)]))];
  }
  if (typeof name === "string" && typeof type === "number" && type !== 0 && options && typeof options === "object" && !Array.isArray(options)) {
    // plural / selectordinal: walk the branches
    return [name, type, Object.fromEntries(Object.entries(options).map(([k, v]) => [k, renameSelects(v)]))];
  }
  return node.map(renameSelects);
}

const compiledCache = new Map<string, CompiledMessage>();

/** Compiles a Telegram message (throws with the ICU parser's reason on broken syntax). */
export function compileTelegramMessage(message: string): CompiledMessage {
  let compiled = compiledCache.get(message);
  if (compiled === undefined) {
    const plain = compileMessage(message);
    compiled = typeof plain === "string" ? plain : (renameSelects(plain) as CompiledMessage);
    if (compiledCache.size > 2000) compiledCache.clear();
    compiledCache.set(message, compiled);
  }
  return compiled;
}

/** What a select sees of a value: `empty` for missing / null / "" / false, `true` for true, else the text. */
export function selectorOf(value: unknown): string {
  if (value === undefined || value === null || value === false || value === "") return "empty";
  if (Array.isArray(value)) return value.length ? "other" : "empty";
  return String(value);
}

/** The arguments of a Telegram message and how each is used (select arguments under their own name). */
export function telegramArguments(message: CompiledMessage): Map<string, "text" | "select" | "plural" | "number" | "date"> {
  const out = new Map<string, "text" | "select" | "plural" | "number" | "date">();
  for (const [name, kind] of messageArguments(message)) {
    const plain = name.startsWith(SELECTOR) ? name.slice(1) : name;
    if (name.startsWith(SELECTOR)) {
      if (!out.has(plain)) out.set(plain, "select");
    } else out.set(plain, kind);
  }
  return out;
}

/**
 * Renders a Telegram message: text arguments escaped, plural arguments as numbers, selects on
 * selectorOf(value). A missing value renders as "" (and selects `empty`).
 */
export function formatTelegramMessage(message: string | CompiledMessage, locale: string, values: TelegramValues = {}): string {
  const compiled = typeof message === "string" ? compileTelegramMessage(message) : message;
  if (typeof compiled === "string") return compiled;
  const prepared: MessageValues = {};
  for (const [name, kind] of messageArguments(compiled)) {
    if (name.startsWith(SELECTOR)) prepared[name] = selectorOf(values[name.slice(1)]);
    else if (kind === "plural" || kind === "number") prepared[name] = typeof values[name] === "number" ? (values[name] as number) : Number(values[name] ?? Number.NaN);
    else prepared[name] = escapeTelegramHtml(values[name]);
  }
  return formatMessage(compiled, locale, prepared);
}
