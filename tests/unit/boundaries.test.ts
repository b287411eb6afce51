// The lint layer keeps the boundaries (docs/architecture.md → "Boundaries"): this lints the fixture
// project in tests/fixtures/boundaries with the repository's own eslint.config.mjs (that folder as the
// project root) and checks that every planted violation is reported under its rule, and nothing else.
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = path.resolve(import.meta.dirname, "../..");
const FIXTURE = path.join(REPO, "tests/fixtures/boundaries");

type Found = { rule: string | null; line: number; message: string };
let byFile: Map<string, Found[]>;
const previousCwd = process.cwd();

beforeAll(async () => {
  // The element patterns and the TypeScript resolver read the project root from the process.
  process.chdir(FIXTURE);
  const eslint = new ESLint({ cwd: FIXTURE, overrideConfigFile: path.join(REPO, "eslint.config.mjs") });
  const results = await eslint.lintFiles(["."]);
  byFile = new Map(
    results.map((r) => [
      path.relative(FIXTURE, r.filePath).split(path.sep).join("/"),
      r.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message })),
    ]),
  );
}, 180_000);

afterAll(() => {
  process.chdir(previousCwd);
});

const rulesOf = (file: string) => {
  expect(byFile.has(file), `${file} was linted`).toBe(true);
  return byFile.get(file)!.map((m) => `${m.rule}@${m.line}`).sort();
};

describe("boundaries in the lint layer", () => {
  it("lib never imports app or components", () => {
    expect(rulesOf("lib/alpha/imports-app.ts")).toEqual(["boundaries/dependencies@1"]);
    expect(rulesOf("lib/alpha/imports-components.ts")).toEqual(["boundaries/dependencies@1"]);
    expect(byFile.get("lib/alpha/imports-app.ts")![0].message).toContain("lib/ never imports app/ or components/");
  });

  it("components never import app, a route's server actions included", () => {
    expect(rulesOf("components/widget.ts")).toEqual(["boundaries/dependencies@1"]);
    expect(byFile.get("components/widget.ts")![0].message).toContain("components/ never imports app/");
    expect(rulesOf("components/auth/login-form.tsx")).toEqual(["boundaries/dependencies@4"]);
  });

  it("another area is reached through its index.ts, not a deep import", () => {
    expect(rulesOf("lib/beta/deep-import.ts")).toEqual(["boundaries/dependencies@1"]);
    expect(byFile.get("lib/beta/deep-import.ts")![0].message).toContain("alpha/internal.ts is internal");
    expect(rulesOf("lib/beta/through-index.ts")).toEqual([]);
    // the edges are entry points like app/: server actions (actions.ts, actions/<page>.ts) and the
    // route/action wrappers of lib/http; any other kernel module goes through the index like an area
    expect(rulesOf("lib/beta/actions.ts")).toEqual([]);
    expect(rulesOf("lib/beta/actions/profile.ts")).toEqual([]);
    // the kernel's edges may reach identity's session modules only, not any area's internals
    expect(rulesOf("lib/http/route.ts")).toEqual(["boundaries/dependencies@2"]);
    expect(rulesOf("lib/gamma/actions/settings.ts")).toEqual([]);
    expect(rulesOf("lib/http/cookies.ts")).toEqual(["boundaries/dependencies@2"]);
    // the composition root starts an area's runtime.ts, and reaches the rest through the index
    expect(rulesOf("lib/startup.ts")).toEqual(["boundaries/dependencies@2"]);
  });

  it("an import cycle is an error", () => {
    expect(rulesOf("lib/cycle/first.ts")).toEqual(["aq/no-cycle@1"]);
    expect(rulesOf("lib/cycle/second.ts")).toEqual(["aq/no-cycle@1"]);
  });

  it('"use client" code lives outside the server modules of lib', () => {
    expect(rulesOf("lib/alpha/client-in-server-area.tsx")).toEqual(["aq/client-placement@1"]);
    expect(rulesOf("lib/alpha/client/badge.tsx")).toEqual([]);
  });

  it("client code never reaches a server-only module, directly or through another module", () => {
    expect(rulesOf("components/client-direct.tsx")).toEqual(["aq/client-no-server-only@3"]);
    expect(rulesOf("components/client-transitive.tsx")).toEqual(["aq/client-no-server-only@3"]);
    expect(byFile.get("components/client-transitive.tsx")![0].message).toContain(
      "components/server-helper.ts → lib/alpha/index.ts → server-only",
    );
  });

  it("clean files report nothing (pure modules, type-only imports, a server action behind a client import)", () => {
    for (const file of [
      "components/client-clean.tsx",
      "components/server-helper.ts",
      "lib/alpha/index.ts",
      "lib/alpha/pure.ts",
      "app/page.ts",
      "app/[locale]/(site)/(auth)/actions.ts",
    ]) {
      expect(rulesOf(file), file).toEqual([]);
    }
  });
});
