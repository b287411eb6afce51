// The translator: typed keys over compiled ICU messages. Pure and light (no parser): shared by the
// server (lib/i18n/catalogue.ts → getT, translatorFor) and the client (lib/i18n/client.tsx → useT).
import type { Locale } from "./config";
import { formatMessage, type CompiledMessage } from "./icu";
import type { Messages } from "./messages";

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

type Groups<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? never : `${Prefix}${K}` | Groups<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key, e.g. "auth.loginTitle" or "validation.passwordWeak". */
export type MessageKey = Leaves<Messages>;

/** A namespace: a group of messages, e.g. "registrations" or "telegram.login" (see pick()). */
export type Namespace = Groups<Messages>;

/** Values of a message: text, or numbers for plural arguments ("{count, plural, …}"). */
export type MessageVars = Record<string, string | number>;

export interface Translator {
  /** The text of a known key, its ICU arguments filled in. */
  (key: MessageKey, vars?: MessageVars): string;
  /**
   * The text of a key known only at run time (a zod issue message, an AppError message): a key that is
   * not in the catalogue is shown as is, so a plain message still reads well.
   */
  dynamic(key: string | undefined | null, vars?: MessageVars): string;
  has(key: string): boolean;
  readonly locale: Locale;
}

/** Finds a compiled message for a key (the server compiles on demand, the client looks it up). */
export type MessageSource = (key: string) => CompiledMessage | undefined;

/** The value at a dotted path of a nested catalogue (own properties only: "constructor" is not a key). */
export function lookupPath(tree: unknown, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function isCompiledMessage(value: unknown): value is CompiledMessage {
  return typeof value === "string" || Array.isArray(value);
}

export function createTranslator(locale: Locale, source: MessageSource): Translator {
  const render = (key: string, message: CompiledMessage, vars?: MessageVars): string => {
    try {
      return formatMessage(message, locale, vars);
    } catch (error) {
      console.error(`[i18n] cannot format "${key}" (${locale}):`, error);
      return key;
    }
  };
  const t = ((key: MessageKey, vars?: MessageVars) => {
    const message = source(key);
    if (message === undefined) {
      // On the client: the page's provider lacks this key's namespace (lib/i18n/namespaces.ts).
      if (process.env.NODE_ENV !== "production") console.error(`[i18n] no message "${key}" (${locale})`);
      return key;
    }
    return render(key, message, vars);
  }) as Translator;
  t.dynamic = (key, vars) => {
    if (!key) return "";
    const message = source(key);
    return message === undefined ? key : render(key, message, vars);
  };
  t.has = (key) => source(key) !== undefined;
  Object.defineProperty(t, "locale", { value: locale, enumerable: true });
  return t;
}

/** All leaf keys of a catalogue, sorted (used by the catalogue tests). */
export function messageKeys(messages: object, prefix = ""): string[] {
  return Object.entries(messages)
    .flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : messageKeys(v as object, `${prefix}${k}.`)))
    .sort();
}
