// Each page sends its client components only the namespaces they use (docs/i18n.md): a layout or page
// wraps its client components in <I18nProvider messages={pick(locale, [...])}>. A key missing from
// those namespaces would show up as the raw key in the browser, so this test follows the imports of
// every route file: every text key a client component of that route uses (t("ns.key"), also the
// static start of a template-literal key) must lie in a namespace picked by the route's layouts or
// the route file itself.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { catalogues } from "@/lib/i18n/messages";
import { lookupPath } from "@/lib/i18n/translate";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LOCALE_DIR = path.join(ROOT, "app/[locale]");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated") return [];
    if (statSync(full).isDirectory()) return files(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const sources = new Map<string, string>();
const read = (file: string) => {
  let text = sources.get(file);
  if (text === undefined) sources.set(file, (text = readFileSync(file, "utf8")));
  return text;
};

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Value imports (type-only imports carry no code into the browser). */
function imports(file: string): string[] {
  const text = read(file);
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+"([^"]+)"/gm)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*import\s+"([^"]+)"/gm)].map((m) => m[1]),
    ...[...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]),
  ];
  return specs.map((s) => resolveImport(file, s)).filter((f): f is string => f !== null);
}

const isClient = (file: string) => /^\s*["']use client["']/.test(read(file));
/** Server actions and server-only modules: a client component reaches them over the network, not in its bundle. */
const isServerOnly = (file: string) => /^\s*["']use server["']/.test(read(file)) || /^import "server-only";/m.test(read(file));

/** Namespaces a file hands to a provider: pick(locale, ["a", "b.c"]) or textsLayout(["a"]). */
function picks(file: string): string[] {
  return [...read(file).matchAll(/\b(?:pick\(\s*[^,]+,|textsLayout\()\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1].matchAll(/"([^"]+)"/g)].map((n) => n[1]));
}

/** Client files whose t.dynamic(value) shows a text the API already translated (the check-in API). */
const TRANSLATED_BY_SERVER = new Set(["components/check-in/result-screen.tsx"]);

/**
 * Text keys a client file uses: t("a.b"), t.dynamic("a.b"), the static start of t(`a.b.${x}`), and,
 * in a file that calls useT(), any string literal that is a text's key (tab labels, nav items hand
 * keys around as data; an island that gets its texts as props keeps keys only as map keys).
 * A t.dynamic(value) shows keys a server action returned: AppError and zod messages ("errors.*",
 * "validation.*"; an area's own errors come with the area's namespace).
 */
function keysOf(file: string): string[] {
  if (file.startsWith(path.join(ROOT, "lib/i18n/"))) return []; // the engine itself (its comments quote keys)
  const text = read(file);
  return [
    ...(/\bt\.dynamic\(\s*[^"`\s)]/.test(text) && !TRANSLATED_BY_SERVER.has(path.relative(ROOT, file)) ? ["errors", "validation"] : []),
    ...[...text.matchAll(/\bt(?:\.dynamic)?\(\s*"([a-zA-Z][\w.]*)"/g)].map((m) => m[1]),
    ...[...text.matchAll(/\bt(?:\.dynamic)?\(\s*`([a-zA-Z][\w.]*)\$\{/g)].map((m) => m[1].replace(/\.$/, "")),
    ...(/\buseT\(/.test(text) ? [...text.matchAll(/"([a-z][a-zA-Z]*(?:\.[a-zA-Z0-9]+)+)"/g)].map((m) => m[1]).filter((key) => typeof lookupPath(catalogues.ru, key) === "string") : []),
  ];
}

/** Client files a route file brings to the browser: the client components it imports, and theirs. */
function clientFiles(entry: string): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string, client: boolean) => {
    const key = `${client}:${file}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (client && isServerOnly(file)) return;
    const inClient = client || isClient(file);
    if (inClient) found.add(file);
    for (const next of imports(file)) visit(next, inClient);
  };
  visit(entry, false);
  return [...found];
}

const ROUTE_FILE = /^(page|layout|error|not-found|loading|template)\.tsx$/;
const routeFiles = files(LOCALE_DIR).filter((f) => ROUTE_FILE.test(path.basename(f)));

/** Namespaces available to a route file: picked by every layout above it, and by itself. */
function available(entry: string): string[] {
  const out = new Set<string>(picks(entry));
  for (let dir = path.dirname(entry); dir.startsWith(LOCALE_DIR); dir = path.dirname(dir)) {
    const layout = path.join(dir, "layout.tsx");
    if (existsSync(layout) && layout !== entry) for (const n of picks(layout)) out.add(n);
  }
  return [...out];
}

const covered = (key: string, namespaces: string[]) => namespaces.some((n) => key === n || key.startsWith(`${n}.`) || n.startsWith(`${key}.`));

describe("client namespaces per page", () => {
  test("the scan finds the route files, their providers and their client components", () => {
    expect(routeFiles.length).toBeGreaterThan(40);
    expect(picks(path.join(LOCALE_DIR, "layout.tsx"))).toEqual(["common.backHome", "common.retry", "notFound", "errorPage"]);
    const register = routeFiles.find((f) => f.endsWith(path.join("register", "page.tsx")) && f.includes("[event]"))!;
    expect(clientFiles(register).some((f) => f.endsWith("register-form.tsx"))).toBe(true);
  });

  test("every picked namespace exists in both catalogues", () => {
    const all = new Set(routeFiles.flatMap(picks));
    for (const namespace of all) {
      for (const locale of ["ru", "en"] as const) {
        const node = lookupPath(catalogues[locale], namespace);
        expect(typeof node === "string" || (node !== null && typeof node === "object"), `${namespace} (${locale})`).toBe(true);
      }
    }
  });

  test.each(routeFiles.map((f) => [path.relative(ROOT, f), f]))("%s: client components find their texts", (_name, entry) => {
    const namespaces = available(entry);
    const missing = clientFiles(entry).flatMap((file) =>
      keysOf(file)
        .filter((key) => !covered(key, namespaces))
        .map((key) => `${key} (${path.relative(ROOT, file)})`),
    );
    expect([...new Set(missing)]).toEqual([]);
  });
});
