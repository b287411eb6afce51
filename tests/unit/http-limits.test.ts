// The one table of named rate limits (lib/http/limits.ts): every name a caller uses exists, every
// rule is sane, and the register form and the REST sale count the same entry.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { LIMITS, isLimitName, limitKey, limitMessage, limitRule, type LimitRule } from "@/lib/http/limits";
import { en, ru } from "@/lib/i18n/messages";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

const sources = ["app", "lib", "components"].flatMap((d) => sourceFiles(path.join(ROOT, d)));
const text = (file: string) => readFileSync(file, "utf8");

/** Every limit name written at a call site: `limit: "…"` (edges) and the first argument of the named calls. */
function namesUsed(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const patterns = [/\blimit:\s*"([^"]+)"/g, /\b(?:consumeLimit|enforceLimit|limitReachedFor|composedLimit)\(\s*"([^"]+)"/g];
  for (const file of sources) {
    if (file.endsWith(path.join("lib", "http", "limits.ts"))) continue;
    const src = text(file);
    for (const re of patterns) for (const m of src.matchAll(re)) used.set(m[1], [...(used.get(m[1]) ?? []), path.relative(ROOT, file)]);
  }
  return used;
}

function get(messages: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), messages);
}

describe("named rate limits", () => {
  test("every name used at a call site is in the table, and every entry is used", () => {
    const used = namesUsed();
    expect(used.size).toBeGreaterThan(10);
    for (const [name, files] of used) expect(isLimitName(name), `${name} (${files.join(", ")})`).toBe(true);
    for (const name of Object.keys(LIMITS)) expect(used.has(name), `${name} is never used`).toBe(true);
  });

  test("nothing counts a bucket by hand: no consume(…) / consumeOnPool(…) with a literal key outside lib/rate-limit.ts", () => {
    for (const file of sources) {
      if (file.endsWith(path.join("lib", "rate-limit.ts"))) continue;
      expect(text(file), path.relative(ROOT, file)).not.toMatch(/\b(?:consume|consumeOnPool|enforceRateLimit|consumeForAddress)\(\s*[`"']/);
    }
  });

  test("the register form and the REST sale use the same entry", () => {
    const form = text(path.join(ROOT, "lib/registrations/actions/register.ts"));
    const rest = text(path.join(ROOT, "app/api/v1/events/[eventId]/registrations/route.ts"));
    const saleLimit = (src: string) => [...src.matchAll(/\blimit:\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(saleLimit(form)).toContain("registration");
    expect(saleLimit(rest)).toEqual(["registration"]);
    expect(limitRule("registration", "ip")).toEqual({ limit: 120, windowSeconds: 60 });
    expect(limitRule("registration", "user")).toEqual({ limit: 20, windowSeconds: 60 });
  });

  test("every rule is a positive whole count per a positive whole window; every message exists in both languages", () => {
    for (const [name, entry] of Object.entries(LIMITS)) {
      for (const rule of Object.values(entry.rules) as LimitRule[]) {
        expect(Number.isInteger(rule.limit) && rule.limit > 0, name).toBe(true);
        expect(Number.isInteger(rule.windowSeconds) && rule.windowSeconds > 0, name).toBe(true);
      }
      const key = limitMessage(name as keyof typeof LIMITS);
      expect(typeof get(ru, key), `${name}: ${key} (ru)`).toBe("string");
      expect(typeof get(en, key), `${name}: ${key} (en)`).toBe("string");
    }
  });

  test("keys: <name>:<subject>:<value>; a subject the limit does not count is a programming error", () => {
    expect(limitKey("registration", "ip", "203.0.113.7")).toBe("registration:ip:203.0.113.7");
    expect(limitKey("checkin", "device", "u:1:phone")).toBe("checkin:device:u:1:phone");
    expect(() => limitRule("sign-up", "user" as never)).toThrow(/no "user" rule/);
    expect(isLimitName("nope")).toBe(false);
  });
});
