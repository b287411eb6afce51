// The one ICU message runtime: formats a message compiled by lib/i18n/compile.ts (next-intl's
// `icu-minify`: the compiler/runtime next-intl 4 uses for precompiled messages). Pure and tiny
// (< 1 KB gzipped): the server, the client islands and the Telegram renderer all format through it,
// so a text renders the same wherever it is rendered. docs/i18n.md.
import format from "icu-minify/format";
import type { CompiledMessage } from "icu-minify/format";

export type { CompiledMessage };

/** Values a message may use: text, numbers (plural/number arguments), booleans (select on true/false). */
export type MessageValues = Record<string, string | number | boolean | null | undefined>;

// Intl objects are expensive to create: one per locale + options, kept for the process / page.
const intlCache = new Map<string, Intl.NumberFormat | Intl.PluralRules | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.PluralRules | Intl.DateTimeFormat>(kind: string, locale: string | string[] | undefined, options: object | undefined, make: () => T): T {
  const key = `${kind}|${String(locale)}|${options ? JSON.stringify(options) : ""}`;
  let value = intlCache.get(key) as T | undefined;
  if (!value) {
    value = make();
    intlCache.set(key, value);
  }
  return value;
}

export const intlFormatters = {
  getNumberFormat: (locale?: string | string[], options?: Intl.NumberFormatOptions) => cached("n", locale, options, () => new Intl.NumberFormat(locale, options)),
  getPluralRules: (locale?: string | string[], options?: Intl.PluralRulesOptions) => cached("p", locale, options, () => new Intl.PluralRules(locale, options)),
  getDateTimeFormat: (locale?: string | string[], options?: Intl.DateTimeFormatOptions) => cached("d", locale, options, () => new Intl.DateTimeFormat(locale, options)),
};

const TYPE_POUND = 0;
const TYPE_SELECT = 1;
const TYPE_PLURAL = 2;
const TYPE_SELECTORDINAL = 3;

export type ArgumentKind = "text" | "select" | "plural" | "number" | "date";

type Node = string | number | unknown[];

/** The arguments a compiled message uses and how (a plural use wins over a plain one). */
export function messageArguments(message: CompiledMessage): Map<string, ArgumentKind> {
  const found = new Map<string, ArgumentKind>();
  const note = (name: string, kind: ArgumentKind) => {
    const known = found.get(name);
    if (!known || known === "text" || kind === "plural") found.set(name, kind);
  };
  // A list holds text, `#` (0) and nodes; a node is [name] | [name, TYPE, options] | [tag, ...children].
  const visitList = (list: Node[]): void => {
    for (const item of list) if (Array.isArray(item)) visitNode(item);
  };
  const visitNode = (node: unknown[]): void => {
    const [name, type, options] = node;
    if (typeof name !== "string") return;
    if (type === undefined) return note(name, "text");
    if (typeof type !== "number" || type === TYPE_POUND) return visitList(node.slice(1) as Node[]);
    if (type === TYPE_SELECT || type === TYPE_PLURAL || type === TYPE_SELECTORDINAL) {
      note(name, type === TYPE_SELECT ? "select" : "plural");
      for (const branch of Object.values((options ?? {}) as Record<string, Node>)) if (Array.isArray(branch)) visitList(branch as Node[]);
      return;
    }
    note(name, type === 4 ? "number" : "date");
  };
  if (typeof message !== "string") visitList(message as Node[]);
  return found;
}

/**
 * Formats a compiled message. A value the message needs but was not given renders as `{name}`
 * (never "undefined"), so a forgotten variable is visible instead of silently wrong.
 */
export function formatMessage(message: CompiledMessage, locale: string, values?: MessageValues): string {
  if (typeof message === "string") return message;
  const filled: Record<string, string | number> = {};
  for (const [name, kind] of messageArguments(message)) {
    const value = values?.[name];
    if (value === undefined || value === null) filled[name] = kind === "plural" || kind === "number" ? Number.NaN : `{${name}}`;
    else filled[name] = typeof value === "boolean" ? String(value) : value;
  }
  const result = format(message, locale, filled, { formatters: intlFormatters });
  return typeof result === "string" ? result : Array.isArray(result) ? result.join("") : String(result);
}
