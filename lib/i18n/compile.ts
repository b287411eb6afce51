// Compiles ICU messages (next-intl's `icu-minify` compiler, on the server only: it carries the ICU
// parser). The compiled form is plain JSON, formatted by lib/i18n/icu.ts on the server and in the
// browser alike, so client components receive compiled messages and never parse.
//
// One dialect for every text (UI catalogue, bot texts, notification templates): ICU MessageFormat
// where `<` and `>` are ordinary characters. There are no ICU rich-text tags: Telegram HTML such as
// `<b>{name}</b>` or `<a href="{url}">` is text around arguments, and a UI text may show "<b>".
import compile from "icu-minify/compile";
import type { CompiledMessage } from "./icu";

/** How a message uses an argument (see messageArguments). */
export type ArgumentKind = "text" | "select" | "plural" | "number" | "date";

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

const TYPE_POUND = 0;
const TYPE_SELECT = 1;
const TYPE_PLURAL = 2;
const TYPE_SELECTORDINAL = 3;


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
