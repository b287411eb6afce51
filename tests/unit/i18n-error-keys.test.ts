// Every message key a service raises (`new AppError(code, "<key>")`) has a text in both languages, so
// no form, bot reply or API error body ever shows a raw key.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { catalogues } from "@/lib/i18n/messages";

const ROOTS = ["lib", "app"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

function raisedKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/new AppError\(\s*"[A-Z_]+",\s*"([a-zA-Z][\w.]*)"/g)) keys.set(m[1], file);
  }
  return keys;
}

const lookup = (messages: unknown, key: string): unknown =>
  key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), messages);

describe("service error keys", () => {
  const keys = raisedKeys();

  test("the scan finds the services' keys", () => {
    expect(keys.size).toBeGreaterThan(20);
    expect(keys.has("errors.soldOut")).toBe(true);
  });

  test.each(["ru", "en"] as const)("every raised key has a %s text", (locale) => {
    const missing = [...keys].filter(([key]) => typeof lookup(catalogues[locale], key) !== "string").map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });
});
