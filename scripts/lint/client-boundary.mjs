// ESLint rules for the client/server line (docs/architecture.md → "Boundaries").
//
// `aq/client-placement`: a "use client" module under lib/ lives in a client folder (lib/<area>/client/)
//   or is a client.ts(x) of a shared kernel (lib/i18n/client.tsx), never among an area's server modules.
// `aq/client-no-server-only`: a "use client" module never reaches a module that imports "server-only",
//   directly or through the modules it imports by value (type-only imports are erased; a "use server"
//   module is a reference to a server action, so the walk stops there). The message names the chain.
//
// The walk reads files with a small import scanner (not the full parser) and resolves specifiers with
// the same resolver settings as eslint-plugin-import (`import/resolver`: the TypeScript paths).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { relative: resolveRelative } = require("eslint-module-utils/resolve");

const DIRECTIVE = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["'](use client|use server)["']/;
// import x from "y"; import { a } from "y"; import "y"; export { a } from "y"; export * from "y";
// (the `type` forms are skipped: they are erased before bundling)
const IMPORT = /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"'\n]+)["']/g;
// Comments are blanked before scanning (an import clause may carry them); strings are kept as they are.
const COMMENT_OR_STRING = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

function withoutComments(source) {
  return source.replace(COMMENT_OR_STRING, (match, string) => (string ? string : match.replace(/[^\n]/g, " ")));
}
const DYNAMIC = /\bimport\(\s*["']([^"'\n]+)["']\s*\)/g;

export function directiveOf(source) {
  const match = DIRECTIVE.exec(source);
  return match ? match[1] : null;
}

function valueImports(text) {
  const out = [];
  const source = withoutComments(text);
  for (const match of source.matchAll(IMPORT)) {
    if (match[2]) continue; // import type / export type
    // import { type A, type B } from "x": every specifier is type-only
    const braces = /^\s*(?:import|export)\s*\{([^}]*)\}\s*from/.exec(match[0].replace(/^[;\n}]/, ""));
    if (braces) {
      const names = braces[1].split(",").map((s) => s.trim()).filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith("type "))) continue;
    }
    out.push(match[3]);
  }
  for (const match of source.matchAll(DYNAMIC)) out.push(match[1]);
  return out;
}

// What a file imports, read once per version of the file (editors keep ESLint running between edits).
const files = new Map(); // file → { mtimeMs, directive, targets: Array<string | "server-only"> }

export function fileInfo(file, settings) {
  let mtimeMs = -1;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return { mtimeMs, directive: null, targets: [] };
  }
  const known = files.get(file);
  if (known && known.mtimeMs === mtimeMs) return known;
  const source = fs.readFileSync(file, "utf8");
  const targets = [];
  for (const specifier of valueImports(source)) {
    if (specifier === "server-only") {
      targets.push("server-only");
      continue;
    }
    const target = resolveRelative(specifier, file, settings);
    if (target && !target.includes(`${path.sep}node_modules${path.sep}`)) targets.push(target);
  }
  const info = { mtimeMs, directive: directiveOf(source), targets };
  files.set(file, info);
  return info;
}

/** The chain of files from `file` to a module that imports "server-only", or null. `memo` lives for one linted file. */
function serverOnlyChain(file, settings, memo, visiting) {
  if (memo.has(file)) return memo.get(file);
  if (visiting.has(file)) return null;
  visiting.add(file);
  let result = null;
  const info = fileInfo(file, settings);
  if (info.directive !== "use server") {
    for (const target of info.targets) {
      if (target === "server-only") {
        result = [file];
        break;
      }
      const rest = serverOnlyChain(target, settings, memo, visiting);
      if (rest) {
        result = [file, ...rest];
        break;
      }
    }
  }
  visiting.delete(file);
  memo.set(file, result);
  return result;
}

/**
 * The AST visitors that call `check(node, specifier, typeOnly)` for every import of a file: static imports,
 * re-exports and literal dynamic imports (type-only ones flagged, since they are erased).
 */
function importVisitors(check) {
  const allTypeSpecifiers = (node) =>
    node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === "type" || s.exportKind === "type");
  return {
    ImportDeclaration(node) {
      check(node.source, node.source.value, node.importKind === "type" || allTypeSpecifiers(node));
    },
    ExportNamedDeclaration(node) {
      if (node.source) check(node.source, node.source.value, node.exportKind === "type" || allTypeSpecifiers(node));
    },
    ExportAllDeclaration(node) {
      check(node.source, node.source.value, node.exportKind === "type");
    },
    ImportExpression(node) {
      if (node.source.type === "Literal") check(node.source, node.source.value, false);
    },
  };
}

function isClientFile(context) {
  return directiveOf(context.sourceCode.getText()) === "use client";
}

const clientNoServerOnly = {
  meta: {
    type: "problem",
    docs: { description: 'a "use client" module never imports a "server-only" module, directly or transitively' },
    schema: [],
    messages: {
      serverOnly: 'Client module imports server-only code: {{chain}}. Keep server code behind a server action, or import a pure module.',
    },
  },
  create(context) {
    if (!isClientFile(context)) return {};
    const root = context.cwd ?? process.cwd();
    const memo = new Map();
    const check = (node, specifier, typeOnly) => {
      if (typeOnly || typeof specifier !== "string") return;
      if (specifier === "server-only") {
        context.report({ node, messageId: "serverOnly", data: { chain: "server-only" } });
        return;
      }
      const target = resolveRelative(specifier, context.filename, context.settings);
      if (!target || target.includes(`${path.sep}node_modules${path.sep}`)) return;
      const chain = serverOnlyChain(target, context.settings, memo, new Set([context.filename]));
      if (chain) {
        const shown = chain.map((f) => path.relative(root, f).split(path.sep).join("/"));
        context.report({ node, messageId: "serverOnly", data: { chain: `${shown.join(" → ")} → server-only` } });
      }
    };
    return importVisitors(check);
  },
};

const clientPlacement = {
  meta: {
    type: "problem",
    docs: { description: 'a "use client" module under lib/ lives in lib/<area>/client/ or is a kernel\'s client.ts(x)' },
    schema: [],
    messages: {
      placement:
        'Client code does not live among the server modules of lib/. Put it in lib/<area>/client/ or components/.',
    },
  },
  create(context) {
    return {
      Program(node) {
        if (!isClientFile(context)) return;
        const root = context.cwd ?? process.cwd();
        const rel = path.relative(root, context.filename).split(path.sep).join("/");
        if (!rel.startsWith("lib/")) return;
        if (/^lib\/[^/]+\/client\//.test(rel) || /^lib\/[^/]+\/client\.tsx?$/.test(rel)) return;
        context.report({ node, messageId: "placement" });
      },
    };
  },
};

/**
 * `aq/no-cycle`: no import cycle of value imports (static, re-exports and literal dynamic imports; type-only
 * imports are erased). For each import of the linted file, the walk asks whether the imported module leads
 * back to the file, over the same cached import graph as `aq/client-no-server-only` (each file is read once
 * per process). It replaced `import/no-cycle`, which re-walked the graph per file and per ESLint thread and
 * was three quarters of the lint layer's time; tests/unit/boundaries.test.ts proves it still fires.
 */
const noCycle = {
  meta: {
    type: "problem",
    docs: { description: "no import cycles (value imports)" },
    schema: [],
    messages: { cycle: "Dependency cycle detected: {{chain}}." },
  },
  create(context) {
    const self = context.filename;
    const root = context.cwd ?? process.cwd();
    // Modules known not to lead back to this file (for this file's walk).
    const clear = new Set();
    const pathBack = (start) => {
      // iterative DFS, returning the chain start → … → self
      const stack = [[start, 0]];
      const onPath = [start];
      const seen = new Set([start]);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const [file, index] = top;
        const targets = fileInfo(file, context.settings).targets;
        if (index >= targets.length) {
          stack.pop();
          onPath.pop();
          clear.add(file);
          continue;
        }
        top[1] = index + 1;
        const next = targets[index];
        if (next === "server-only") continue;
        if (next === self) return [...onPath, self];
        if (seen.has(next) || clear.has(next)) continue;
        seen.add(next);
        stack.push([next, 0]);
        onPath.push(next);
      }
      return null;
    };
    const check = (node, specifier, typeOnly) => {
      if (typeOnly || typeof specifier !== "string" || specifier === "server-only") return;
      const target = resolveRelative(specifier, self, context.settings);
      if (!target || target.includes(`${path.sep}node_modules${path.sep}`) || clear.has(target)) return;
      const chain = target === self ? [self] : pathBack(target);
      if (chain) {
        const shown = [self, ...chain].map((f) => path.relative(root, f).split(path.sep).join("/"));
        context.report({ node, messageId: "cycle", data: { chain: shown.join(" → ") } });
      }
    };
    return importVisitors(check);
  },
};

export const clientBoundaryPlugin = {
  meta: { name: "aq-client-boundary" },
  rules: { "client-no-server-only": clientNoServerOnly, "client-placement": clientPlacement, "no-cycle": noCycle },
};
