// The translator: pure, shared by the server helpers (lib/i18n/server.ts) and the client hook
// (lib/i18n/client.tsx).
import type { Messages } from "./messages";

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key, e.g. "auth.loginTitle" or "validation.passwordWeak". */
export type MessageKey = Leaves<Messages>;

export type MessageVars = Record<string, string | number>;

export interface Translator {
  /** The text of a known key, with {placeholders} filled in. */
  (key: MessageKey, vars?: MessageVars): string;
  /**
   * The text of a key known only at run time (a zod issue message, an AppError message): a key that is
   * not in the catalogue is shown as is, so a plain message still reads well.
   */
  dynamic(key: string | undefined | null, vars?: MessageVars): string;
  has(key: string): boolean;
}

function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

export function interpolate(template: string, vars?: MessageVars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : match,
  );
}

export function createTranslator(messages: Messages): Translator {
  const t = ((key: MessageKey, vars?: MessageVars) => interpolate(lookup(messages, key) ?? key, vars)) as Translator;
  t.dynamic = (key, vars) => (key ? interpolate(lookup(messages, key) ?? key, vars) : "");
  t.has = (key) => lookup(messages, key) !== undefined;
  return t;
}

/** All leaf keys of a catalogue, sorted (used by the catalogue tests). */
export function messageKeys(messages: object, prefix = ""): string[] {
  return Object.entries(messages)
    .flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : messageKeys(v as object, `${prefix}${k}.`)))
    .sort();
}
