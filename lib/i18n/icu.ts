// The one ICU message runtime: formats a message compiled by lib/i18n/compile.ts (next-intl's
// `icu-minify`: the compiler/runtime next-intl 4 uses for precompiled messages). Pure and tiny
// (< 1 KB gzipped): the server, the client islands and the Telegram renderer all format through it,
// so a text renders the same wherever it is rendered. docs/i18n.md.
import format from "icu-minify/format";
import type { CompiledMessage } from "icu-minify/format";
import { intlFormatters } from "./format/intl";

export type { CompiledMessage };

/** Values a message may use: text, numbers (plural/number arguments), booleans (select on true/false). */
export type MessageValues = Record<string, string | number | boolean | null | undefined>;

/**
 * Formats a compiled message. A value the message needs but was not given renders as `{name}`
 * (never "undefined"), so a forgotten variable is visible instead of silently wrong.
 */
export function formatMessage(message: CompiledMessage, locale: string, values?: MessageValues): string {
  if (typeof message === "string") return message;
  const given = values ?? {};
  const lookup = new Proxy(given, {
    has: () => true,
    get: (target, name) => {
      const value = typeof name === "string" && Object.hasOwn(target, name) ? target[name] : undefined;
      if (value === undefined || value === null) return `{${String(name)}}`;
      return typeof value === "boolean" ? String(value) : value;
    },
  }) as Record<string, string | number>;
  const result = format(message, locale, lookup, { formatters: intlFormatters });
  return typeof result === "string" ? result : Array.isArray(result) ? result.join("") : String(result);
}
