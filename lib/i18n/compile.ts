// Compiles ICU messages (next-intl's `icu-minify` compiler, on the server only: it carries the ICU
// parser). The compiled form is plain JSON, formatted by lib/i18n/icu.ts on the server and in the
// browser alike, so client components receive compiled messages and never parse.
//
// One dialect for every text (UI catalogue, bot texts, notification templates): ICU MessageFormat
// where `<` and `>` are ordinary characters. There are no ICU rich-text tags: Telegram HTML such as
// `<b>{name}</b>` or `<a href="{url}">` is text around arguments, and a UI text may show "<b>".
import compile from "icu-minify/compile";
import type { CompiledMessage } from "./icu";

// Private-use stand-ins for < and > while the ICU parser runs (it would read them as tags).
const LT = "\uE000";
const GT = "\uE001";

function restore(node: unknown): unknown {
  if (typeof node === "string") return node.includes(LT) || node.includes(GT) ? node.replaceAll(LT, "<").replaceAll(GT, ">") : node;
  if (Array.isArray(node)) return node.map(restore);
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, restore(v)]));
  return node;
}

/** Compiles one message; throws (with the parser's reason) on broken ICU syntax. */
export function compileMessage(message: string): CompiledMessage {
  if (!/[{}'#<>]/.test(message)) return message;
  const protectedText = message.replaceAll(LT, "").replaceAll(GT, "").replaceAll("<", LT).replaceAll(">", GT);
  return restore(compile(protectedText)) as CompiledMessage;
}
