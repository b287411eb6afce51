// The catalogues on the server: every text compiled once per process and locale (on first use), the
// translator of a locale, and pick(): the compiled namespaces a page hands to its client components.
// Pure (no request state): pages, route handlers, jobs, the bot and tests use it alike.
import type { Locale } from "./config";
import { compileMessage } from "./compile";
import type { CompiledMessage } from "./icu";
import { catalogues } from "./messages";
import { createTranslator, isCompiledMessage, lookupPath, type MessageKey, type Namespace, type Translator } from "./translate";

/** Compiled messages as the client gets them: the catalogue's shape, compiled leaves. */
export type ClientMessages = { [key: string]: CompiledMessage | ClientMessages };

const compiledByLocale: Record<Locale, Map<string, CompiledMessage | null>> = { ru: new Map(), en: new Map() };

/** The compiled message of a key, or undefined when the key is not a text of the catalogue. */
export function compiledMessage(locale: Locale, key: string): CompiledMessage | undefined {
  const cache = compiledByLocale[locale];
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const raw = lookupPath(catalogues[locale], key);
  let compiled: CompiledMessage | null = null;
  if (typeof raw === "string") {
    try {
      compiled = compileMessage(raw);
    } catch (error) {
      // tests/unit/i18n.test.ts compiles every text; should one slip through, show it unformatted.
      console.error(`[i18n] "${key}" (${locale}) is not valid ICU:`, error);
      compiled = raw;
    }
  }
  cache.set(key, compiled);
  return compiled ?? undefined;
}

/**
 * A text compiled for a client island that formats it itself (plural forms of a live count):
 * `left={compiledText(locale, "public.event.left")}` → formatMessage(left, locale, { count }).
 */
export function compiledText(locale: Locale, key: MessageKey): CompiledMessage {
  return compiledMessage(locale, key) ?? key;
}

const translators: Partial<Record<Locale, Translator>> = {};

/** The translator of a locale (one per process): `translatorFor("en")("auth.loginTitle")`. */
export function translatorFor(locale: Locale): Translator {
  return (translators[locale] ??= createTranslator(locale, (key) => compiledMessage(locale, key)));
}

function compileTree(locale: Locale, tree: object, prefix: string): ClientMessages {
  const out: ClientMessages = {};
  for (const [key, value] of Object.entries(tree)) {
    out[key] = typeof value === "string" ? compiledMessage(locale, `${prefix}${key}`)! : compileTree(locale, value as object, `${prefix}${key}.`);
  }
  return out;
}

const picks = new Map<string, ClientMessages>();

/**
 * The namespaces a page's client components need, compiled, for <I18nProvider messages={…}>:
 * `pick(locale, ["registrations.register", "errors"])` (a single text's key works too). Nested
 * providers add to their parent's; tests/unit/i18n-namespaces.test.ts checks that each page picks
 * every namespace its client components use.
 */
export function pick(locale: Locale, namespaces: readonly (Namespace | MessageKey)[]): ClientMessages {
  const cacheKey = `${locale}:${[...namespaces].sort().join(",")}`;
  const hit = picks.get(cacheKey);
  if (hit) return hit;
  const out: ClientMessages = {};
  for (const namespace of namespaces) {
    const tree = lookupPath(catalogues[locale], namespace);
    if (!tree) throw new Error(`[i18n] unknown namespace "${namespace}"`);
    const parts = namespace.split(".");
    let target = out;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      target = (next && !isCompiledMessage(next) ? next : (target[part] = {})) as ClientMessages;
    }
    target[parts[parts.length - 1]] = typeof tree === "string" ? compiledMessage(locale, namespace)! : compileTree(locale, tree, `${namespace}.`);
  }
  picks.set(cacheKey, out);
  return out;
}
